import { describeDocumentStoreContract } from '@strata/core/testing';
import { InMemoryDocumentStore } from './in-memory-document-store';

describeDocumentStoreContract('in-memory', () => Promise.resolve(new InMemoryDocumentStore()));
