import type { Position } from '../event-store/position';
import type {
  AnyDocument,
  BaseDocument,
  DeleteResult,
  Filter,
  FindOneOptions,
  FindOptions,
  IndexDescription,
  IndexKeys,
  IndexOptions,
  InsertOneResult,
  OptionalId,
  UpdateFilter,
  UpdateResult,
  UpsertOptions,
} from './document-types';

/**
 * A MongoDB-flavoured collection of JSON documents. Filter, update, sort and projection
 * semantics are MongoDB's; an operator outside the supported set is `UNSUPPORTED_OPERATOR`.
 * Every returned document is a copy: mutating it never changes the store.
 */
export abstract class DocumentCollection<T extends BaseDocument = AnyDocument> {
  /** The first match in `sort` order (default `_id` ascending), or null; type a projection's result with `R`. */
  abstract findOne<R extends object = T>(filter?: Filter<T>, options?: FindOneOptions): Promise<R | null>;

  /** Matches in `sort` order (default `_id` ascending), at most `limit` (default `DEFAULT_FIND_LIMIT`, 1000). */
  abstract find<R extends object = T>(filter?: Filter<T>, options?: FindOptions): Promise<R[]>;

  /** How many documents match. */
  abstract countDocuments(filter?: Filter<T>): Promise<number>;

  /** Inserts one document; an existing `_id` or unique key is `DUPLICATE_KEY`. */
  abstract insertOne(document: OptionalId<T>): Promise<InsertOneResult>;

  /** Replaces the first match (keeping its `_id`), or inserts when `upsert` and nothing matches. */
  abstract replaceOne(filter: Filter<T>, replacement: OptionalId<T>, options?: UpsertOptions): Promise<UpdateResult>;

  /** Applies update operators to the first match, or upserts. `_id` is immutable. */
  abstract updateOne(filter: Filter<T>, update: UpdateFilter, options?: UpsertOptions): Promise<UpdateResult>;

  /** Applies update operators to every match, or upserts one document. */
  abstract updateMany(filter: Filter<T>, update: UpdateFilter, options?: UpsertOptions): Promise<UpdateResult>;

  /** Deletes the first match in `_id` order. */
  abstract deleteOne(filter: Filter<T>): Promise<DeleteResult>;

  /** Deletes every match. */
  abstract deleteMany(filter: Filter<T>): Promise<DeleteResult>;

  /**
   * Declares a secondary index and returns its name; repeating an identical declaration is a
   * no-op. Index creation takes effect at once, outside any unit of work.
   */
  abstract createIndex(keys: IndexKeys, options?: IndexOptions): Promise<string>;

  /** The declared secondary indexes (the implicit `_id` index is not listed). */
  abstract listIndexes(): Promise<IndexDescription[]>;
}

/** The handle a unit of work passes to its callback; it is unusable once the unit ends. */
export interface DocumentTransaction {
  /** A collection whose writes belong to this unit of work; its reads see those writes. */
  collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T>;
  /** The checkpoint as this unit of work sees it (its own write, else the committed one). */
  getCheckpoint(name: string): Promise<Position | null>;
  /** Records a checkpoint that commits together with the unit's document writes. */
  setCheckpoint(name: string, position: Position): Promise<void>;
  /**
   * Renames `from` to `to` when the unit commits, indexes included, replacing whatever `to`
   * held; a `from` that does not exist counts as empty. Writes the unit made to `from` before
   * move with it. Neither name may be used again in this unit (`COLLECTION_RENAMED`).
   */
  renameCollection(from: string, to: string): Promise<void>;
  /**
   * The error that aborted this unit of work on the server, if one did and running the unit
   * again would meet it again. A store whose transaction dies with its first refused write
   * (MongoDB) implements it, so the engine can blame the handler that met the refusal even when
   * that handler caught it; the unit then commits nothing and fails with this error.
   */
  abortedBy?(): Error | undefined;
}

/** Units of work of a writer that alone changes some collections (`DocumentStore.exclusiveWriter`). */
export interface ExclusiveWriter {
  /** Runs `work` as one unit of work, exactly as `DocumentStore.transaction` does. */
  transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R>;
  /** Declares the indexes given to `exclusiveWriter` that are not declared yet. */
  declareIndexes(): Promise<void>;
  /** Lets go of what the writer remembers; later units of work run as plain ones. */
  close(): void;
}

/** What an exclusive writer's collections need, and how much it may remember. */
export interface ExclusiveWriterOptions {
  /**
   * Indexes to declare on the writer's collections (by collection name). A store may declare
   * the non-unique ones late, at `declareIndexes()` (indexing loaded documents at once is much
   * cheaper than keeping an index up to date), but before any unit of the writer queries
   * other than by `_id` or lists the indexes; documents are checked against them as they are written.
   */
  readonly indexes?: Readonly<Record<string, readonly { readonly keys: IndexKeys; readonly options?: IndexOptions }[]>>;
  /** Characters of JSON (plus a fixed amount per document) to remember at most; defaults to 16 Mi. */
  readonly maxCachedCharacters?: number;
}

/**
 * The read-model storage port: named document collections plus checkpoints. Every adapter
 * passes `describeDocumentStoreContract`.
 */
export abstract class DocumentStore {
  /** A collection whose every write commits on its own. */
  abstract collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T>;

  /**
   * Runs `work` as one unit of work: its writes across collections and its checkpoints
   * commit together when it resolves, and none are written when it throws. A document it
   * wrote that someone else changed meanwhile fails the commit with `WRITE_CONFLICT`.
   */
  abstract transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R>;

  /**
   * Units of work for a writer that alone changes `collections` while it is open, as a replay
   * alone writes its shadow collections under its lease (each unit proving it still holds it).
   * A store may remember those collections' documents between the writer's units, so lookups
   * by `_id` skip the storage; each unit still commits exactly as `transaction` does, and a
   * write based on a document someone else changed still fails (`WRITE_CONFLICT`,
   * `DUPLICATE_KEY`). This default remembers nothing and declares the indexes at once.
   */
  async exclusiveWriter(_collections: readonly string[], options: ExclusiveWriterOptions = {}): Promise<ExclusiveWriter> {
    for (const [collection, indexes] of Object.entries(options.indexes ?? {})) {
      for (const index of indexes) await this.collection(collection).createIndex(index.keys, index.options);
    }
    return { transaction: (work) => this.transaction(work), declareIndexes: async () => undefined, close: () => undefined };
  }

  /** The last committed checkpoint under `name`, or null. */
  abstract getCheckpoint(name: string): Promise<Position | null>;

  /** Removes the checkpoint under `name`, so its subscription starts from the beginning; false when there was none. */
  abstract deleteCheckpoint(name: string): Promise<boolean>;

  /** The collections holding documents or declared indexes, sorted by name. */
  abstract listCollections(): Promise<string[]>;

  /** Removes a collection with its documents and indexes at once; false when there was none. */
  abstract dropCollection(name: string): Promise<boolean>;

  abstract close(): Promise<void>;
}
