import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { InMemorySnapshotStore } from '../snapshots/in-memory-snapshot-store';
import type { StrataAdapter } from './strata-adapter';

/** Keeps everything in process memory; for tests and demos, lost on exit. */
export const inMemoryAdapter: StrataAdapter = {
  name: 'memory',
  createEventStore: () => new InMemoryEventStore(),
  createDocumentStore: () => new InMemoryDocumentStore(),
  createSnapshotStore: () => new InMemorySnapshotStore(),
};
