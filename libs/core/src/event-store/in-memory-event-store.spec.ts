import { describeEventStoreContract } from '@strata/core/testing';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in-memory', () => Promise.resolve(new InMemoryEventStore()));
