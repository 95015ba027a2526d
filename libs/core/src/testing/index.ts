export { describeEventStoreContract, type EventStoreFactory } from './event-store.contract';
export { describeDocumentStoreContract, type DocumentStoreFactory } from './document-store.contract';
export { describeProjectionRunnerContract, type ProjectionBackend, type ProjectionStores } from './projection-runner.contract';
export { describeProjectionReplayContract } from './projection-replay.contract';
export { describeProjectionOperationsContract } from './projection-operations.contract';
export { describeProjectionVersionsContract } from './projection-versions.contract';
export { describeSnapshotStoreContract, type SnapshotStoreFactory } from './snapshot-store.contract';
export { describeIntegrationTransportContract, type TransportFactory } from './integration-transport.contract';
