import { invalid } from './document-errors';

/** A parsed stored document: a JSON object with a string `_id`. */
export type JsonObject = Record<string, unknown>;

/** MongoDB's nesting limit; deeper documents are refused rather than half-supported. */
const MAX_DEPTH = 100;
/** MongoDB's document size limit (16 MiB of BSON), applied to the JSON on every store so they refuse alike. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** True for `{}` literals and `Object.create(null)`, false for arrays, dates and class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  // Compared structurally, not with `=== Object.prototype`: objects from another realm
  // (structuredClone, vm contexts, jest) carry that realm's Object.prototype.
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Checks that `document` survives a JSON round trip unchanged (apart from omitted
 * `undefined` properties) and serialises it. Both adapters store JSON, so a Date or a Map
 * would come back as something else: refusing it up front is what keeps them identical.
 */
export function toJsonDocument(document: unknown, collection: string): string {
  if (!isPlainObject(document)) {
    throw invalid('INVALID_DOCUMENT', `A document for '${collection}' must be a plain object, got ${describe(document)}.`);
  }
  const id = document['_id'];
  if (typeof id !== 'string' || id.length === 0) {
    throw invalid('INVALID_DOCUMENT', `Documents in '${collection}' need a non-empty string _id, got ${describe(id)}.`);
  }
  // The walk that names the offending field runs only for a document that has one.
  if (!hasJsonFields(document, 0)) checkValue(document, '', 0, collection);
  const json = JSON.stringify(document);
  // A character is at least a byte, so only a long text needs counting.
  if (json.length > MAX_DOCUMENT_BYTES / 4 && Buffer.byteLength(json) > MAX_DOCUMENT_BYTES) {
    throw invalid('INVALID_DOCUMENT', `Document '${id}' for '${collection}' is ${Buffer.byteLength(json)} bytes as JSON, over the 16 MiB limit of a MongoDB document; split it or store the bulk elsewhere.`);
  }
  return json;
}

/**
 * Whether every field of a document is a string, boolean, null or a number other than -0: then
 * a shallow copy equals what parsing its JSON would give, and costs far less.
 */
export function isFlat(document: JsonObject): boolean {
  for (const key in document) {
    if (!Object.hasOwn(document, key)) continue;
    const value = document[key];
    if (value === undefined || (value !== null && typeof value === 'object') || Object.is(value, -0)) return false;
  }
  return true;
}

/** Parses a stored document; the text was written by `toJsonDocument`. */
export function parseJsonDocument(json: string): JsonObject {
  return JSON.parse(json) as JsonObject;
}

/** Whether `checkValue` would accept `value`, without building paths; false may also mean "ask checkValue" (array holes). */
function isJsonClean(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let at = 0; at < value.length; at++) {
      const item: unknown = value[at];
      if (item === undefined || !isJsonClean(item, depth + 1)) return false;
    }
    return true;
  }
  return isPlainObject(value) && hasJsonFields(value, depth);
}

/** Whether every field of a plain object is one `checkValue` accepts, by the same rules as `isJsonClean`. */
function hasJsonFields(value: Record<string, unknown>, depth: number): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key === '' || key.includes('.') || key.startsWith('$')) return false;
    const child = value[key];
    if (child !== undefined && !isJsonClean(child, depth + 1)) return false;
  }
  return true;
}

function checkValue(value: unknown, path: string, depth: number, collection: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) reject(collection, path, `${value} is not representable in JSON`);
    return;
  }
  if (depth >= MAX_DEPTH) reject(collection, path, `nesting deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === undefined) reject(collection, `${path}.${index}`, 'undefined array elements are not JSON; use null');
      checkValue(item, `${path}.${index}`, depth + 1, collection);
    });
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (key === '' || key.includes('.') || key.startsWith('$')) {
        reject(collection, childPath, 'field names must be non-empty, without dots, and must not start with $');
      }
      if (child !== undefined) checkValue(child, childPath, depth + 1, collection);
    }
    return;
  }
  reject(collection, path, `${describe(value)} is not JSON (store dates as ISO strings, sets and maps as arrays or objects)`);
}

function reject(collection: string, path: string, reason: string): never {
  throw invalid('INVALID_DOCUMENT', `Field '${path || '(root)'}' of a document for '${collection}': ${reason}.`);
}

/** A short name for a value's type, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'object') return `a ${(Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
