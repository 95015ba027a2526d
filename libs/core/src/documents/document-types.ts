/** Every stored document: a JSON object keyed by a string `_id`. */
export interface BaseDocument {
  _id: string;
}

/** The default document type of an untyped collection: any JSON fields besides `_id`. */
export interface AnyDocument extends BaseDocument {
  [field: string]: unknown;
}

/** A document about to be inserted; the store generates `_id` when it is absent. */
export type OptionalId<T extends BaseDocument> = Omit<T, '_id'> & { _id?: string };

/**
 * A MongoDB query filter. Top-level field names are suggested; dotted paths
 * (`'address.city'`) and operators (`$gt`, `$or`, ...) are accepted as any string key.
 */
export type Filter<T = BaseDocument> = { readonly [K in keyof T]?: unknown } & { readonly [path: string]: unknown };

/** A MongoDB update document; only these operators are supported, anything else is `UNSUPPORTED_OPERATOR`. */
export interface UpdateFilter {
  readonly $set?: Readonly<Record<string, unknown>>;
  readonly $unset?: Readonly<Record<string, '' | 1 | true>>;
  readonly $inc?: Readonly<Record<string, number>>;
  readonly $push?: Readonly<Record<string, unknown>>;
  readonly $pull?: Readonly<Record<string, unknown>>;
  readonly $addToSet?: Readonly<Record<string, unknown>>;
}

/** Sort keys in priority order: 1 ascending, -1 descending. Dotted paths allowed. */
export type SortSpec = Readonly<Record<string, 1 | -1>>;

/** MongoDB projection: all inclusions or all exclusions (`_id` may be excluded from either). */
export type ProjectionSpec = Readonly<Record<string, 0 | 1 | boolean>>;

/** The most documents `find` returns when no `limit` is given. */
export const DEFAULT_FIND_LIMIT = 1000;

/** Options of `find`. */
export interface FindOptions {
  /** Ties, and finds without a sort, are ordered by `_id` ascending, identically on every adapter. */
  readonly sort?: SortSpec;
  /** A positive integer; defaults to `DEFAULT_FIND_LIMIT` (1000) so no read is unbounded by accident. */
  readonly limit?: number;
  /** How many matching documents to pass over first. */
  readonly skip?: number;
  readonly projection?: ProjectionSpec;
}

/** Options of `findOne`: as `find`, without `limit`. */
export interface FindOneOptions {
  readonly sort?: SortSpec;
  readonly skip?: number;
  readonly projection?: ProjectionSpec;
}

/** Options of `replaceOne`, `updateOne` and `updateMany`. */
export interface UpsertOptions {
  /** Insert a document when nothing matches (MongoDB upsert semantics). */
  readonly upsert?: boolean;
}

/** What `replaceOne`, `updateOne` and `updateMany` did. */
export interface UpdateResult {
  /** Documents that matched the filter (0 when the write was an upsert). */
  readonly matchedCount: number;
  /** Documents whose content actually changed. */
  readonly modifiedCount: number;
  /** `_id` of the inserted document when the upsert inserted one, else null. */
  readonly upsertedId: string | null;
}

/** How many documents `deleteOne` or `deleteMany` removed. */
export interface DeleteResult {
  readonly deletedCount: number;
}

/** The `_id` `insertOne` stored, given or generated. */
export interface InsertOneResult {
  readonly insertedId: string;
}

/** Index keys in order: dotted field paths, 1 or -1. */
export type IndexKeys = Readonly<Record<string, 1 | -1>>;

/** Options of `createIndex`. */
export interface IndexOptions {
  /** Reject a second document with the same key values; a missing field counts as null. */
  readonly unique?: boolean;
  /** Defaults to MongoDB's naming, e.g. `owner_1_status_1`. */
  readonly name?: string;
}

/** A declared secondary index. */
export interface IndexDescription {
  readonly name: string;
  readonly keys: readonly (readonly [path: string, direction: 1 | -1])[];
  readonly unique: boolean;
}
