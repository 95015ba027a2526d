import type { IndexDescription } from './document-types';
import { invalid } from './document-errors';
import { describe, isPlainObject, type JsonObject } from './json-document';

/** A value an index can hold: indexed fields are scalars, and a missing field indexes as null. */
export type IndexValue = string | number | boolean | null;

// Identifier-like segments can be spliced into a SQL JSON path without any escaping.
const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDEX_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const MAX_INDEX_FIELDS = 32;

/** Collection names are letters, digits, `_`, `.`, `-` (at most 100), so adapters can use them as table names. */
export function validateCollectionName(name: unknown): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw invalid(
      'INVALID_NAME',
      `${describe(name)} is not a collection name: use up to 100 letters, digits, '_', '.' or '-', not starting with '.' or '-'.`,
    );
  }
  return name;
}

/** Validates `createIndex` arguments and names the index as MongoDB would (`owner_1_status_-1`). */
export function indexSpecFrom(collection: string, keys: unknown, options: unknown): IndexDescription {
  if (!isPlainObject(keys) || Object.keys(keys).length === 0) {
    throw invalid('INVALID_INDEX', `createIndex on '${collection}' needs an object of field paths to 1 or -1, got ${describe(keys)}.`);
  }
  const entries = Object.entries(keys);
  if (entries.length > MAX_INDEX_FIELDS) throw invalid('INVALID_INDEX', `An index may cover at most ${MAX_INDEX_FIELDS} fields.`);
  const fields = entries.map(([path, direction]): readonly [string, 1 | -1] => {
    if (!path.split('.').every((segment) => PATH_SEGMENT.test(segment))) {
      throw invalid('INVALID_INDEX', `Cannot index '${path}': each path segment must be a letter or '_' followed by letters, digits or '_'.`);
    }
    if (direction !== 1 && direction !== -1) {
      throw invalid('INVALID_INDEX', `Index direction for '${path}' must be 1 or -1, got ${describe(direction)}.`);
    }
    return [path, direction];
  });
  if (options !== undefined && !isPlainObject(options)) throw invalid('INVALID_INDEX', `Index options must be an object, got ${describe(options)}.`);
  const { name, unique } = isPlainObject(options) ? options : {};
  if (unique !== undefined && typeof unique !== 'boolean') throw invalid('INVALID_INDEX', `unique must be a boolean, got ${describe(unique)}.`);
  const indexName = name ?? fields.map(([path, direction]) => `${path}_${direction}`).join('_');
  if (typeof indexName !== 'string' || !INDEX_NAME.test(indexName)) {
    throw invalid('INVALID_INDEX', `${describe(indexName)} is not an index name: use up to 100 letters, digits, '_', '.' or '-'.`);
  }
  return { name: indexName, keys: fields, unique: unique ?? false };
}

/** Whether two declarations describe the same index. */
export function sameIndex(a: IndexDescription, b: IndexDescription): boolean {
  return a.name === b.name && a.unique === b.unique && sameKeys(a, b);
}

/** Whether two declarations index the same fields in the same order and directions. */
export function sameKeys(a: IndexDescription, b: IndexDescription): boolean {
  return JSON.stringify(a.keys) === JSON.stringify(b.keys);
}

/**
 * The value a document holds at an indexed path. Arrays and objects are refused: the SQLite
 * adapter's expression indexes hold one scalar per document (not MongoDB's multikey
 * entries), and refusing them on every adapter keeps results and unique checks identical.
 */
export function indexedValue(document: JsonObject, path: string, collection: string, index: string): IndexValue {
  let current: unknown = document;
  // Most indexed paths are top-level fields of the (plain) document: nothing to split or walk.
  if (!path.includes('.')) current = document[path];
  else {
    for (const segment of path.split('.')) {
      if (!isPlainObject(current)) return null;
      current = current[segment];
      if (Array.isArray(current)) throw notScalar(collection, index, path, current);
    }
  }
  if (current === undefined || current === null) return null;
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return current;
  throw notScalar(collection, index, path, current);
}

function notScalar(collection: string, index: string, path: string, value: unknown): Error {
  return invalid(
    'INVALID_DOCUMENT',
    `'${path}' is covered by index '${index}' of '${collection}' and must hold a string, number, boolean or null, ` +
      `not ${describe(value)}. Indexes over arrays (multikey) are not supported; drop the index or store a scalar.`,
  );
}

/** The document's key values for one index, in key order. */
export function indexKeyOf(document: JsonObject, index: IndexDescription, collection: string): IndexValue[] {
  return index.keys.map(([path]) => indexedValue(document, path, collection, index.name));
}

/** A string that is equal for two keys exactly when a unique index treats them as duplicates. */
export function canonicalKey(values: readonly IndexValue[]): string {
  // JSON keeps true and 1 apart and writes -0 as 0, as MongoDB's index comparison does.
  return JSON.stringify(values);
}

/** The key as `{ path: value }`, for error messages. */
export function keyObject(index: IndexDescription, values: readonly IndexValue[]): Record<string, IndexValue> {
  return Object.fromEntries(index.keys.map(([path], position) => [path, values[position] ?? null]));
}

/** Refuses a document whose indexed paths hold arrays or objects. */
export function assertIndexable(document: JsonObject, indexes: readonly IndexDescription[], collection: string): void {
  // Checked on every write, so without building the keys.
  for (const index of indexes) for (const [path] of index.keys) indexedValue(document, path, collection, index.name);
}
