import type { Position } from '../event-store/position';
import type { Filter, IndexDescription } from './document-types';

/** What a unit of work learns about a collection before it queries or writes it. */
export interface CollectionInfo {
  /** Whether the collection's storage exists; a missing one reads as empty. */
  readonly exists: boolean;
  /** Its declared secondary indexes, in creation order. */
  readonly indexes: readonly IndexDescription[];
}

/** One collection's share of a commit: removals and rewrites (checked against `expected`), then inserts. */
export interface CollectionWrites {
  /** What the unit knew of the collection when it committed. */
  readonly info: CollectionInfo;
  readonly removes: (readonly [id: string, expected: string])[];
  readonly replaces: (readonly [id: string, expected: string, json: string])[];
  readonly inserts: (readonly [id: string, json: string])[];
}

/** A unit of work's writes, to apply atomically in this order: each collection's writes, the renames, the checkpoints. */
export interface DocumentBatch {
  readonly writes: ReadonlyMap<string, CollectionWrites>;
  readonly renames: readonly (readonly [from: string, to: string])[];
  readonly checkpoints: readonly (readonly [name: string, position: Position])[];
}

/**
 * The asynchronous storage a networked adapter provides under `RemoteDocumentStore`: the
 * counterpart of `DocumentBackend` for a server. Core keeps all MongoDB semantics; the backend
 * fetches JSON text, narrows candidates, and applies a batch in one transaction.
 */
export interface RemoteDocumentBackend {
  /** The committed JSON of one document: undefined when it is missing, null when its whole collection is. */
  fetchDocument(collection: string, id: string): Promise<string | undefined | null>;
  fetchCollection(collection: string): Promise<CollectionInfo>;
  /**
   * Every committed document of `collection` that may match `filter` (a superset of the
   * matches), with `indexes` as the unit of work knows them. Narrow only on indexed paths and `_id`.
   */
  fetchCandidates(collection: string, filter: Filter, indexes: readonly IndexDescription[]): Promise<(readonly [id: string, json: string])[]>;
  fetchCheckpoint(name: string): Promise<Position | undefined>;
  /** Removes a checkpoint at once and on its own; false when there was none. */
  deleteCheckpoint(name: string): Promise<boolean>;
  /** Declares an index that core validated against the documents, at once and on its own. */
  declareIndex(collection: string, index: IndexDescription): Promise<void>;
  /**
   * Applies a batch atomically. A removal or rewrite whose row is no longer `expected` fails with
   * `WriteConflictError`, a taken key with `DuplicateKeyError`; `StaleCollectionError` asks core
   * to look at the collections again and retry the commit.
   */
  commit(batch: DocumentBatch): Promise<void>;
  /** The collections holding documents or declared indexes, in any order. */
  collections(): Promise<string[]>;
  /** Removes a collection with its documents and indexes; false when it held neither. */
  drop(collection: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A commit found a collection other than the unit believed (dropped or created meanwhile); nothing was written. */
export class StaleCollectionError extends Error {
  constructor(readonly collection: string) {
    super(`Collection '${collection}' changed while the unit of work committed.`);
  }
}
