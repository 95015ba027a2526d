import type { Filter } from './document-types';
import { isPlainObject, type JsonObject } from './json-document';
import { applyUpdate } from './mingo-engine';

/**
 * The document an upsert starts from, as MongoDB builds it: the equality conditions of the
 * filter (`field: value`, `field: { $eq: value }`, also inside `$and`), dotted paths
 * expanded. Ranges, `$in`, regular expressions and `$or` say nothing definite, so they seed nothing.
 */
export function seedFromFilter(filter: Filter): JsonObject {
  const seeds: Record<string, unknown> = {};
  collectEqualities(filter, seeds);
  // mingo refuses to $set _id, so it is placed directly.
  const { _id: id, ...fields } = seeds;
  const document: JsonObject = id === undefined ? {} : { _id: id };
  // mingo's $set expands dotted paths and reports conflicting ones ('a' and 'a.b') as MongoDB does.
  if (Object.keys(fields).length > 0) applyUpdate(document, new Map([['$set', fields]]), undefined);
  return document;
}

function collectEqualities(filter: Readonly<Record<string, unknown>>, seeds: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) collectEqualities(clause, seeds);
    } else if (key.startsWith('$') || value instanceof RegExp) {
      continue;
    } else if (isPlainObject(value) && Object.keys(value).some((name) => name.startsWith('$'))) {
      if ('$eq' in value && !(value['$eq'] instanceof RegExp)) seeds[key] = value['$eq'];
    } else {
      seeds[key] = value;
    }
  }
}
