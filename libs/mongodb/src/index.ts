export { MongoDocumentStore, type MongoDocumentStoreOptions } from './mongo-document-store';
export { mongodbAdapter, mongodbOptionsFromEnv, MONGODB_URL_VARIABLE, MONGODB_DATABASE_VARIABLE } from './mongodb-adapter';
export { assertTransactionsSupported, type HelloReply } from './replica-set';
export { CHECKPOINTS_COLLECTION } from './mongo-checkpoints';
