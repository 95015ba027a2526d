export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { PostgresSnapshotStore } from './postgres-snapshot-store';
export { PostgresDatabase, migrate, DEFAULT_SCHEMA, DEFAULT_POOL_SIZE, type PostgresOptions, type MigrationStep } from './postgres-database';
export { PostgresDocumentStore } from './documents/postgres-document-store';
export { postgresAdapter, postgresOptionsFromEnv, DATABASE_URL_VARIABLE, SCHEMA_VARIABLE, POOL_SIZE_VARIABLE } from './postgres-adapter';
export { PostgresThrottlerStorage, postgresThrottleStore } from './throttling/postgres-throttler-storage';
