export { SqliteEventStore } from './sqlite-event-store';
export { sqliteAdapter, sqliteOptionsFromEnv } from './sqlite-adapter';
export {
  openSqliteDatabase,
  migrate,
  type SqliteDatabase,
  type SqliteDatabaseOptions,
  type SqliteSynchronous,
} from './sqlite-database';
export { SqliteDocumentStore } from './documents/sqlite-document-store';
export { SqliteSnapshotStore } from './sqlite-snapshot-store';
