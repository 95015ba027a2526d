import { describeSnapshotStoreContract } from '@strata/core/testing';
import { InMemorySnapshotStore } from './in-memory-snapshot-store';

describeSnapshotStoreContract('in-memory', () => Promise.resolve(new InMemorySnapshotStore()));
