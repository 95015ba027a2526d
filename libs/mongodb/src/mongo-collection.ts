import { randomUUID } from 'node:crypto';
import type { ClientSession, Collection, Filter as MongoFilter, UpdateFilter as MongoUpdate } from 'mongodb';
import { type Filter } from '@strata/core';
import { DocumentCollection, DuplicateKeyError, type BaseDocument, type DeleteResult, type FindOneOptions, type FindOptions, type IndexDescription, type IndexKeys, type IndexOptions, type InsertOneResult, type OptionalId, type UpdateFilter, type UpdateResult, type UpsertOptions, ID_INDEX, describeValue, documentError, immutableId, indexKeyOf, indexSpecFrom, isPlainObject, resolveFindOptions, sameIndex, sameKeys, seedFromFilter, separateIdUpdate, toJsonDocument, validateFilter, validateUpdate, type JsonObject } from '@strata/core/adapter';
import { toStrataError, type ErrorContext } from './mongo-errors';
import type { MongoScope } from './mongo-scope';
import { assertUniqueKeysFree } from './unique-keys';
import { assertDistinctPaths } from './update-paths';

type Stored = { _id: string } & Record<string, unknown>;

/** "The first match" is the first in `_id` order on every adapter, so single-document writes sort by it. */
const BY_ID = { _id: 1 } as const;
/** How long an index build may take before `createIndex` fails (and the runner retries it). */
const INDEX_BUILD_TIME_LIMIT_MS = 60_000;

/**
 * A `DocumentCollection` on a real MongoDB collection. Core validates filters, updates and
 * documents (so both stores refuse the same things); the driver then does the work, with
 * MongoDB's own semantics, in the scope's session when inside a unit of work.
 */
export class MongoDocumentCollection<T extends BaseDocument> extends DocumentCollection<T> {
  private readonly collection: Collection<Stored>;

  constructor(
    private readonly name: string,
    private readonly scope: MongoScope,
  ) {
    super();
    this.collection = scope.db.collection<Stored>(name);
  }

  override async findOne<R extends object = T>(filter?: Filter<T>, options?: FindOneOptions): Promise<R | null> {
    const [first] = await this.find<R>(filter, { ...options, limit: 1 });
    return first ?? null;
  }

  override async find<R extends object = T>(filter?: Filter<T>, options?: FindOptions): Promise<R[]> {
    const query = this.filterOf(filter);
    const { sort, skip, limit, projection } = resolveFindOptions(options);
    return this.run({}, async (session) => {
      // Ties are broken by `_id` ascending unless the sort names `_id` itself.
      const order = sort && '_id' in sort ? sort : { ...sort, ...BY_ID };
      const cursor = this.collection.find(query, { sort: order, skip, limit, session, ...(projection ? { projection } : {}) });
      return (await cursor.toArray()) as unknown as R[];
    });
  }

  override async countDocuments(filter?: Filter<T>): Promise<number> {
    const query = this.filterOf(filter);
    return this.run({}, (session) => this.collection.countDocuments(query, { session }));
  }

  override async insertOne(document: OptionalId<T>): Promise<InsertOneResult> {
    if (!isPlainObject(document)) throw documentError('INVALID_DOCUMENT', `insertOne needs a plain object, got ${describeValue(document)}.`);
    const stored = await this.storable({ _id: document['_id'] ?? randomUUID(), ...document });
    return this.run({ subject: stored._id }, async (session) => {
      if (!session) {
        await this.collection.insertOne(stored, {});
        return { insertedId: stored._id };
      }
      // Inside a transaction a duplicate key the server refuses aborts the whole unit, where the
      // embedded store fails only the operation. An upsert that only inserts finds an existing
      // `_id` without an error, in the same round trip; unique secondary keys are asked first.
      await this.assertUniqueFree(stored, true, undefined, session);
      const { _id: id, ...fields } = stored;
      const result = await this.collection.updateOne({ _id: id }, { $setOnInsert: fields }, { upsert: true, session });
      if (result.matchedCount > 0) throw new DuplicateKeyError(this.name, ID_INDEX, { _id: id });
      return { insertedId: id };
    });
  }

  override async replaceOne(filter: Filter<T>, replacement: OptionalId<T>, options?: UpsertOptions): Promise<UpdateResult> {
    const query = this.filterOf(filter);
    if (!isPlainObject(replacement)) throw documentError('INVALID_DOCUMENT', `replaceOne needs a plain object, got ${describeValue(replacement)}.`);
    const operator = Object.keys(replacement).find((key) => key.startsWith('$'));
    if (operator !== undefined) {
      throw documentError('INVALID_DOCUMENT', `A replacement may not contain update operators ('${operator}'); use updateOne to apply operators.`);
    }
    const { _id: givenId, ...fields } = replacement as Record<string, unknown>;
    if (givenId !== undefined && typeof givenId !== 'string') throw documentError('INVALID_DOCUMENT', `_id must be a non-empty string, got ${describeValue(givenId)}.`);
    // Checked under a stand-in `_id` when it has none; the stored copy is the JSON-clean one.
    const { _id: _checked, ...document } = await this.storable({ _id: givenId ?? 'replacement', ...fields });
    return this.run({}, async (session) => {
      const pinned = pinnedId(query);
      // A filter by `_id` needs no lookup first: at most that one document matches.
      const target = pinned === undefined ? await this.firstMatch(query, session) : null;
      if (pinned === undefined && target === null && options?.upsert !== true) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      // The new document's `_id`: the match's, else a string, so the server never picks an ObjectId.
      const id = pinned ?? target ?? givenId ?? randomUUID();
      if (givenId !== undefined && givenId !== id) throw immutableId(this.name, JSON.stringify(id));
      if (session) await this.assertUniqueFree({ _id: id, ...document }, true, id, session);
      // A server upsert, so two concurrent upserts of one `_id` both succeed, as on every adapter.
      const filterById = target === null ? query : ({ _id: target } as MongoFilter<Stored>);
      const result = await this.collection.replaceOne(filterById, { ...document, _id: id }, { upsert: target === null && options?.upsert === true, session });
      return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: result.upsertedId === null ? null : id };
    });
  }

  override async updateOne(filter: Filter<T>, update: UpdateFilter, options?: UpsertOptions): Promise<UpdateResult> {
    const query = this.filterOf(filter);
    const operators = this.updateOf(query, update, options);
    return this.run({ update }, async (session) => {
      const sets = (operators as { $set?: JsonObject }).$set;
      const indexes = session && sets ? await this.scope.catalog.get(this.name) : [];
      const touched = sets !== undefined && indexes.some((index) => index.unique && index.keys.some(([path]) => Object.hasOwn(sets, path)));
      const pinned = pinnedId(query);
      const upsert = options?.upsert === true;
      if (!touched && pinned !== undefined) return toUpdateResult(await this.collection.updateOne(query, operators, { upsert, session }));
      if (!touched && this.scope.server.updateSort) return toUpdateResult(await this.collection.updateOne(query, operators, { sort: BY_ID, upsert, session }));
      // Before MongoDB 8.0 `updateOne` takes no sort, so "the first match in `_id` order" is looked up first.
      const target = pinned ?? (await this.firstMatch(query, session));
      if (session && sets && touched) await this.assertUniqueFree(sets, false, target ?? undefined, session);
      const filterById = pinned !== undefined || target === null ? query : ({ $and: [query, { _id: target }] } as MongoFilter<Stored>);
      return toUpdateResult(await this.collection.updateOne(filterById, operators, { upsert: upsert && (pinned !== undefined || target === null), session }));
    });
  }

  override async updateMany(filter: Filter<T>, update: UpdateFilter, options?: UpsertOptions): Promise<UpdateResult> {
    const query = this.filterOf(filter);
    const operators = this.updateOf(query, update, options);
    // MongoDB's updateMany stops at the first failing document and keeps the rest; the port
    // promises all or nothing, so it runs in a transaction.
    return this.run({ update }, () =>
      this.scope.atomically(async (session) => toUpdateResult(await this.collection.updateMany(query, operators, { upsert: options?.upsert === true, session }))),
    );
  }

  override async deleteOne(filter: Filter<T>): Promise<DeleteResult> {
    const query = this.filterOf(filter);
    return this.run({}, async (session) => ({ deletedCount: (await this.collection.findOneAndDelete(query, { sort: BY_ID, session })) ? 1 : 0 }));
  }

  override async deleteMany(filter: Filter<T>): Promise<DeleteResult> {
    const query = this.filterOf(filter);
    return this.run({}, async (session) => ({ deletedCount: (await this.collection.deleteMany(query, { session })).deletedCount }));
  }

  override async createIndex(keys: IndexKeys, options?: IndexOptions): Promise<string> {
    this.scope.assertUsable(this.name);
    const index = indexSpecFrom(this.name, keys, options);
    const existing = await this.scope.catalog.get(this.name);
    const sameName = existing.find((other) => other.name === index.name);
    if (sameName) {
      if (sameIndex(sameName, index)) return index.name;
      throw documentError('INDEX_CONFLICT', `Collection '${this.name}' already has an index named '${index.name}' with other keys or options.`);
    }
    const sameFields = existing.find((other) => sameKeys(other, index));
    if (sameFields) throw documentError('INDEX_CONFLICT', `Collection '${this.name}' already indexes these keys as '${sameFields.name}'.`);
    // Indexes are scalar on every adapter (the SQLite one has no multikey indexes): refuse, naming a document that breaks it.
    const offending = await this.collection.findOne({ $or: index.keys.map(([path]) => ({ [path]: { $type: ['array', 'object'] } })) });
    if (offending) indexKeyOf(offending, index, this.name);
    try {
      // The default commit quorum waits for every voting member, so one that is down would hang the
      // build, and the runner declaring it; a majority commits it, and the time limit bounds the rest.
      await this.collection.createIndex(Object.fromEntries(index.keys), { name: index.name, unique: index.unique, commitQuorum: 'majority', maxTimeMS: INDEX_BUILD_TIME_LIMIT_MS });
    } catch (error) {
      throw toStrataError(error, { collection: this.name });
    } finally {
      this.scope.catalog.forget(this.name);
    }
    return index.name;
  }

  override async listIndexes(): Promise<IndexDescription[]> {
    this.scope.assertUsable(this.name);
    this.scope.catalog.forget(this.name);
    return (await this.scope.catalog.get(this.name)).map((index) => ({ ...index, keys: index.keys.map(([path, direction]) => [path, direction]) }));
  }

  private filterOf(filter: unknown): MongoFilter<Stored> {
    this.scope.assertUsable(this.name);
    return validateFilter(filter) as MongoFilter<Stored>;
  }

  /** Validates an update as core does and shapes it for the server, keeping new `_id`s strings. */
  private updateOf(query: MongoFilter<Stored>, update: unknown, options: UpsertOptions | undefined): MongoUpdate<Stored> {
    const validated = validateUpdate(update);
    assertDistinctPaths(validated);
    const { id } = separateIdUpdate(validated, this.name);
    const seeded = seedFromFilter(query)['_id'];
    if (id !== undefined && seeded !== undefined && id !== seeded) throw immutableId(this.name, JSON.stringify(seeded));
    for (const [operator, fields] of validated) {
      if (operator === '$unset' || operator === '$inc' || operator === '$pull') continue;
      for (const [path, value] of Object.entries(fields)) {
        // `$push`/`$addToSet` modifiers are operators, not data; the values are what `$each` holds.
        checkJsonValue(isPlainObject(value) && '$each' in value ? value['$each'] : value, path, this.name);
      }
    }
    const operators = Object.fromEntries(validated) as MongoUpdate<Stored>;
    if (options?.upsert === true && id === undefined && seeded === undefined) {
      // Without this the server would give an upserted document an ObjectId.
      return { ...operators, $setOnInsert: { _id: randomUUID() } };
    }
    return operators;
  }

  /** The `_id` of the first document matching `query` in `_id` order, or null. */
  private async firstMatch(query: MongoFilter<Stored>, session: ClientSession | undefined): Promise<string | null> {
    const [first] = await this.collection.find(query, { sort: BY_ID, limit: 1, projection: { _id: 1 }, session }).toArray();
    return first ? first._id : null;
  }

  private async assertUniqueFree(document: JsonObject, whole: boolean, except: string | undefined, session: ClientSession): Promise<void> {
    await assertUniqueKeysFree(this.collection, this.name, await this.scope.catalog.get(this.name), document, whole, except, session);
  }

  /** Refuses what is not JSON, or would break a scalar index, before the server sees it. */
  private async storable(document: Record<string, unknown>): Promise<Stored> {
    const json = toJsonDocument(document, this.name);
    const parsed = JSON.parse(json) as JsonObject;
    for (const index of await this.scope.catalog.get(this.name)) indexKeyOf(parsed, index, this.name);
    return parsed as Stored;
  }

  private async run<R>(context: Omit<ErrorContext, 'collection'>, work: (session: ClientSession | undefined) => Promise<R>): Promise<R> {
    this.scope.assertUsable(this.name);
    try {
      return await work(this.scope.session);
    } catch (error) {
      const translated = toStrataError(error, { collection: this.name, ...context });
      this.scope.aborted?.(error, translated);
      throw translated;
    }
  }
}

/** The `_id` a filter names, when it names one: then at most one document matches and no order is needed. */
function pinnedId(query: MongoFilter<Stored>): string | undefined {
  const id = seedFromFilter(query)['_id'];
  return typeof id === 'string' ? id : undefined;
}

function toUpdateResult(result: { matchedCount: number; modifiedCount: number; upsertedId: unknown }): UpdateResult {
  return {
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    // Every `_id` Strata writes is a string (upserts get one through `$setOnInsert`).
    upsertedId: typeof result.upsertedId === 'string' ? result.upsertedId : null,
  };
}

/** An update value must survive JSON as documents do; the error names the update path. */
function checkJsonValue(value: unknown, path: string, collection: string): void {
  try {
    toJsonDocument({ _id: 'value', value }, collection);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Field '[^']*'/, `Field '${path}'`) : String(error);
    throw documentError('INVALID_DOCUMENT', reason, error);
  }
}

