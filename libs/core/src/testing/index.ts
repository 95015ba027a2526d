export { describeEventStoreContract, type EventStoreFactory } from './event-store.contract';
export { describeDocumentStoreContract, type DocumentStoreFactory } from './document-store.contract';
export { describeProjectionRunnerContract, type ProjectionBackend, type ProjectionStores } from './projection-runner.contract';
