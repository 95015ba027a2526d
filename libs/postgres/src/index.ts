export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { PostgresSnapshotStore } from './postgres-snapshot-store';
export { PostgresDatabase, migrate, DEFAULT_SCHEMA, DEFAULT_POOL_SIZE, type PostgresOptions, type MigrationStep } from './postgres-database';
