export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
export { kurrentdbAdapter, kurrentdbUrlFromEnv, connectKurrentDb, KURRENTDB_URL_VARIABLE } from './kurrentdb-adapter';
export { encodePosition, decodePosition, parseKurrentDbPosition } from './kurrentdb-position';
export { resubscribeDelay, DEFAULT_RESUBSCRIBE_BACKOFF, type ResubscribeBackoff } from './resubscribe-backoff';
export { KurrentDbSnapshotStore, SNAPSHOT_EVENT_TYPE, SNAPSHOT_STREAM_PREFIX, type KurrentDbSnapshotStoreOptions } from './kurrentdb-snapshot-store';
