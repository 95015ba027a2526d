import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { SnapshotStore } from '../snapshots/snapshot-store';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A storage backend that `StrataModule` can select by name. The adapter reads and validates
 * its own settings, throwing `ConfigurationError` that names the variable.
 */
export interface StrataAdapter {
  readonly name: string;
  /** The event store, when this backend keeps an event log (a read-model-only backend has none). */
  createEventStore?(env: Environment): EventStore | Promise<EventStore>;
  /** The read-model store, when this backend has one. */
  createDocumentStore?(env: Environment): DocumentStore | Promise<DocumentStore>;
  /**
   * Where the deciders that opt in keep their snapshots, next to the events: `eventStore` is
   * the store this adapter's `createEventStore` made. Without it, nothing is snapshotted.
   */
  createSnapshotStore?(env: Environment, eventStore: EventStore): SnapshotStore | Promise<SnapshotStore>;
}

/** An adapter that keeps an event log: what `sqliteAdapter()` or `kurrentdbAdapter()` returns. */
export type EventLogAdapter = StrataAdapter & Required<Pick<StrataAdapter, 'createEventStore'>>;
