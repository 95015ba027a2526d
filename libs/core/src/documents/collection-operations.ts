import { declareIndex } from './declare-index';
import { immutableId, separateIdUpdate } from './id-update';
import { DuplicateKeyError, ID_INDEX, invalid } from './document-errors';
import { assertIndexable, canonicalKey, indexKeyOf, keyObject } from './document-indexes';
import type { Filter, FindOptions, IndexDescription, UpdateResult, UpsertOptions } from './document-types';
import { resolveFindOptions } from './find-options';
import { validateFilter } from './filter-validation';
import { describe, isFlat, isPlainObject, parseJsonDocument, toJsonDocument, type JsonObject } from './json-document';
import { applyUpdate, compileFilter, shapeResults } from './mingo-engine';
import type { UnitOfWork } from './unit-of-work';
import { seedFromFilter } from './upsert-seed';
import { validateUpdate } from './update-validation';

interface Match {
  readonly id: string;
  readonly json: string;
  /** A private parse of `json`, safe to mutate. */
  readonly document: JsonObject;
}

/**
 * Every collection operation, synchronous, against one unit of work. Being synchronous is
 * what makes an auto-committed operation atomic in-process: nothing interleaves with it.
 */
export class CollectionOperations {
  constructor(
    private readonly unit: UnitOfWork,
    private readonly name: string,
  ) {}

  find(filter: unknown, options: FindOptions | undefined): JsonObject[] {
    const resolved = resolveFindOptions(options);
    const id = idOnly(filter);
    if (id !== undefined) {
      // A lookup by _id reads one document: no filter to compile, nothing to sort.
      const document = this.unit.getDocument(this.name, id);
      return shapeResults(document === undefined ? [] : [document], resolved);
    }
    return shapeResults(
      this.matching(validateFilter(filter)).map((match) => match.document),
      resolved,
    );
  }

  /** The document with this `_id` as a fresh object, or null: `findOne({ _id })` without options. */
  findById(id: string): JsonObject | null {
    return this.unit.getDocument(this.name, id) ?? null;
  }

  count(filter: unknown): number {
    const id = idOnly(filter);
    if (id !== undefined) return this.unit.get(this.name, id) === undefined ? 0 : 1;
    return this.matching(validateFilter(filter)).length;
  }

  insertOne(document: unknown): string {
    if (!isPlainObject(document)) throw invalid('INVALID_DOCUMENT', `insertOne needs a plain object, got ${describe(document)}.`);
    return this.unit.operation(() => this.insert(withId(document, document['_id'] ?? this.unit.newId())));
  }

  replaceOne(filter: unknown, replacement: unknown, options: UpsertOptions | undefined): UpdateResult {
    // `{ _id: <string> }` is valid as it is, and the one document it can match is found by key.
    const id = idOnly(filter);
    const validated = id === undefined ? validateFilter(filter) : (filter as Filter);
    if (!isPlainObject(replacement)) throw invalid('INVALID_DOCUMENT', `replaceOne needs a plain object, got ${describe(replacement)}.`);
    const operator = firstOperator(replacement);
    if (operator !== undefined) {
      throw invalid('INVALID_DOCUMENT', `A replacement may not contain update operators ('${operator}'); use updateOne to apply operators.`);
    }
    return this.unit.operation(() => {
      const target = id === undefined ? this.matching(validated)[0] : this.lookup(id);
      if (target) {
        if (replacement['_id'] !== undefined && replacement['_id'] !== target.id) throw immutableId(this.name, `replacing '${target.id}'`);
        const modified = this.store(withId(replacement, target.id), target.json);
        return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
      }
      if (options?.upsert !== true) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      const newId = replacement['_id'] ?? id ?? seedFromFilter(validated)['_id'] ?? this.unit.newId();
      return { matchedCount: 0, modifiedCount: 0, upsertedId: this.insert(withId(replacement, newId)) };
    });
  }

  update(filter: unknown, update: unknown, options: UpsertOptions | undefined, many: boolean): UpdateResult {
    const validated = validateFilter(filter);
    const { update: operators, id: newId } = separateIdUpdate(validateUpdate(update), this.name);
    return this.unit.operation(() => {
      const matches = this.matching(validated);
      if (matches.length === 0) {
        if (options?.upsert !== true) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
        const document = seedFromFilter(validated);
        const seededId = document['_id'];
        if (newId !== undefined && seededId !== undefined && newId !== seededId) throw immutableId(this.name, JSON.stringify(seededId));
        applyUpdate(document, operators, undefined);
        return { matchedCount: 0, modifiedCount: 0, upsertedId: this.insert(withId(document, newId ?? seededId ?? this.unit.newId())) };
      }
      let modifiedCount = 0;
      for (const match of many ? matches : matches.slice(0, 1)) {
        if (newId !== undefined && newId !== match.id) throw immutableId(this.name, `'${match.id}'`);
        applyUpdate(match.document, operators, validated);
        if (this.store(match.document, match.json)) modifiedCount += 1;
      }
      return { matchedCount: many ? matches.length : 1, modifiedCount, upsertedId: null };
    });
  }

  delete(filter: unknown, many: boolean): number {
    const validated = validateFilter(filter);
    return this.unit.operation(() => {
      const id = idOnly(validated);
      const matches = id === undefined ? this.matching(validated) : [this.lookup(id)].filter((match) => match !== undefined);
      const targets = many ? matches : matches.slice(0, 1);
      for (const target of targets) this.unit.write(this.name, target.id, null, target.json);
      return targets.length;
    });
  }

  createIndex(keys: unknown, options: unknown): string {
    this.unit.declareDeferred(this.name);
    return declareIndex(this.unit.backend, this.name, keys, options);
  }

  listIndexes(): IndexDescription[] {
    this.unit.declareDeferred(this.name);
    return this.unit.backend.indexes(this.name).map((index) => ({ ...index, keys: index.keys.map(([path, direction]) => [path, direction]) }));
  }

  /** The document with this `_id`, if any: what `{ _id: id }` matches (a stored `_id` equals its key). */
  private lookup(id: string): { readonly id: string; readonly json: string } | undefined {
    const json = this.unit.get(this.name, id);
    return json === undefined ? undefined : { id, json };
  }

  /** Matches in `_id` order, so "the first match" is the same document on every adapter. */
  private matching(filter: Filter): Match[] {
    const id = idOnly(filter);
    if (id !== undefined) {
      const found = this.lookup(id);
      return found ? [{ ...found, document: this.unit.getDocument(this.name, id) as JsonObject }] : [];
    }
    const test = compileFilter(filter);
    const matches: Match[] = [];
    this.unit.scan(this.name, filter, (id, json) => {
      const document = parseJsonDocument(json);
      if (test(document)) matches.push({ id, json, document });
    });
    return matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private insert(document: JsonObject): string {
    const json = toJsonDocument(document, this.name);
    const id = document['_id'] as string;
    if (this.unit.get(this.name, id) !== undefined) throw new DuplicateKeyError(this.name, ID_INDEX, { _id: id });
    this.store(document, null, json);
    return id;
  }

  /** Buffers a new version of a document after the index checks; false when nothing changed. */
  private store(document: JsonObject, seen: string | null, json = toJsonDocument(document, this.name)): boolean {
    if (json === seen) return false;
    const id = document['_id'] as string;
    const indexes = this.unit.backend.indexes(this.name);
    // `toJsonDocument` admitted only JSON values, so the object indexes as its JSON text will.
    assertIndexable(document, indexes, this.name);
    assertIndexable(document, this.unit.deferredIndexes(this.name), this.name);
    for (const index of indexes) if (index.unique) this.assertUnique(document, id, index);
    this.unit.write(this.name, id, json, seen, indexes, isFlat(document) ? document : null);
    return true;
  }

  private assertUnique(document: JsonObject, id: string, index: IndexDescription): void {
    const values = indexKeyOf(document, index, this.name);
    const key = canonicalKey(values);
    // Equality on the key narrows the scan (an adapter may use the index); the exact check follows.
    const narrow = Object.fromEntries(index.keys.map(([path], position) => [path, values[position] ?? null]));
    this.unit.scan(
      this.name,
      narrow,
      (otherId, json) => {
        if (otherId === id) return;
        if (canonicalKey(indexKeyOf(parseJsonDocument(json), index, this.name)) === key) {
          throw new DuplicateKeyError(this.name, index.name, keyObject(index, values));
        }
      },
      { query: false },
    );
  }
}

/**
 * The `_id` of a filter that is exactly `{ _id: <string> }`, the lookup projections make on
 * every event; such a filter is valid as it is and matches at most the document with that key.
 */
export function idOnly(filter: unknown): string | undefined {
  if (!isPlainObject(filter)) return undefined;
  let id: unknown;
  let keys = 0;
  for (const key in filter) {
    if (!Object.hasOwn(filter, key)) continue;
    if (key !== '_id' || ++keys > 1) return undefined;
    id = filter[key];
  }
  return typeof id === 'string' ? id : undefined;
}

/** The first key of a replacement that names an update operator, if any. */
function firstOperator(replacement: Readonly<Record<string, unknown>>): string | undefined {
  for (const key in replacement) if (Object.hasOwn(replacement, key) && key.startsWith('$')) return key;
  return undefined;
}

/** A copy with `_id` set and listed first, as MongoDB stores it. */
function withId(document: Readonly<Record<string, unknown>>, id: unknown): JsonObject {
  const copy: JsonObject = { _id: id, ...document };
  copy['_id'] = id;
  return copy;
}
