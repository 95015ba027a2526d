import { randomUUID } from 'node:crypto';
import { describeDocumentStoreContract } from '@strata/core/testing';
import { describeWithContainers } from '@strata/testing/containers';
import { MongoDocumentStore } from './mongo-document-store';

// One replica set per run; a database per test keeps each store empty.
describeWithContainers('MongoDB document store', ({ mongodb }) => {
  describeDocumentStoreContract('mongodb', () => MongoDocumentStore.connect({ url: mongodb, database: `t${randomUUID().slice(0, 8)}` }));
});
