import type { Position } from '../event-store/position';
import type { Filter, IndexDescription } from './document-types';

/** Receives one committed document: its `_id` and its JSON text. */
export type DocumentVisitor = (id: string, json: string) => void;

/**
 * The synchronous storage an adapter provides under `BackendDocumentStore`. Core owns all
 * MongoDB semantics (matching, updates, upserts, unique checks, units of work); a backend
 * stores JSON text, narrows candidates, and applies a batch atomically.
 */
export interface DocumentBackend {
  /**
   * A unit of work begins. A backend that caches what other processes may change (such as
   * declared indexes) revalidates it here, and again inside `atomically`, which is what
   * decides a commit; in between, a stale answer may only cost narrowing or an early error.
   */
  beginUnit?(): void;
  /**
   * Visits every committed document of `collection` that may match `filter`: a superset of
   * the matches (all documents is always correct). `visit` never calls back into the backend.
   */
  scan(collection: string, filter: Filter, visit: DocumentVisitor): void;
  /** The committed JSON of one document. */
  get(collection: string, id: string): string | undefined;
  /** The declared secondary indexes of `collection`, in creation order. */
  indexes(collection: string): readonly IndexDescription[];
  getCheckpoint(name: string): Position | undefined;
  /** Runs `work` so that the writes it makes all commit, or none do when it throws. */
  atomically<R>(work: () => R): R;
  /** Stores a new document; a taken `_id` or unique key raises `DuplicateKeyError`. */
  insert(collection: string, id: string, json: string): void;
  /** Deletes the document if its JSON is still `expected`; false when it changed or is gone. */
  remove(collection: string, id: string, expected: string): boolean;
  /**
   * Optional: rewrites the document in place if its JSON is still `expected`; false when it
   * changed or is gone. Core uses it only on collections without unique indexes (where no
   * order of row changes can clash); without it a changed document is removed and inserted.
   */
  replace?(collection: string, id: string, expected: string, json: string): boolean;
  /** Optional: stores new documents as `insert` would one by one, in fewer round trips. */
  insertMany?(collection: string, documents: readonly (readonly [id: string, json: string])[]): void;
  setCheckpoint(name: string, position: Position): void;
  /** Removes a checkpoint; false when there was none. Inside `atomically`. */
  deleteCheckpoint(name: string): boolean;
  /**
   * Optional: an exclusive writer (a bulk load, as a replay's) opened on this backend. The
   * backend may move housekeeping off the writer's commits until the returned function is
   * called, once the writer closes.
   */
  exclusiveWriterOpened?(): () => void;
  /** Declares an index that core has validated against the existing documents. */
  addIndex(collection: string, index: IndexDescription): void;
  /** The collections holding documents or declared indexes, in any order. */
  collections(): readonly string[];
  /** Removes a collection with its documents and indexes; false when it held neither. Inside `atomically`. */
  drop(collection: string): boolean;
  /**
   * Moves a collection's documents and indexes to `to`, replacing what `to` held; a missing
   * `from` leaves `to` empty. Inside `atomically`, so it commits or rolls back with the batch.
   */
  rename(from: string, to: string): void;
  /**
   * Optional: the `_id` for a new document. A backend that runs an operation again after
   * fetching (`FetchingBackend`) hands out the same ids on every run, so the run can finish.
   */
  newId?(): string;
  close(): void;
}
