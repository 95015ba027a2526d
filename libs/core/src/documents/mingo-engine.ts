import { Query, update as mingoUpdate } from 'mingo';
import type { Filter } from './document-types';
import { invalid } from './document-errors';
import type { ResolvedFindOptions } from './find-options';
import type { JsonObject } from './json-document';
import { checkUpdateTargets } from './update-targets';
import type { ValidatedUpdate } from './update-validation';

// Scripts stay off: a filter must never run code, and `$where` is refused before this anyway.
const OPTIONS = { scriptEnabled: false, useStrictMode: true, idKey: '_id' } as const;

type MingoModifier = Parameters<typeof mingoUpdate>[1];

/** A compiled MongoDB filter. */
export type Predicate = (document: JsonObject) => boolean;

/** Compiles a validated filter with mingo; mingo's own complaints become `INVALID_FILTER`. */
export function compileFilter(filter: Filter): Predicate {
  // Lookups by a string _id are most of what projections do. mingo builds a fresh operator
  // context per query, which costs more than the lookup, and equality on a string needs none of it.
  const keys = Object.keys(filter);
  const id = filter['_id'];
  if (keys.length === 1 && typeof id === 'string') return (document) => document['_id'] === id;
  let query: Query;
  try {
    query = new Query(filter, OPTIONS);
  } catch (error) {
    throw invalid('INVALID_FILTER', `The filter was refused: ${messageOf(error)}.`, error);
  }
  return (document) => {
    try {
      return query.test(document);
    } catch (error) {
      throw invalid('INVALID_FILTER', `The filter could not be evaluated: ${messageOf(error)}.`, error);
    }
  };
}

/** Sorts (with `_id` as the final tie-break, so adapters agree), skips, limits and projects. */
export function shapeResults(documents: JsonObject[], options: ResolvedFindOptions): JsonObject[] {
  // Nothing to sort and nothing to project: skip mingo's per-query set-up (see compileFilter).
  if (documents.length <= 1 && options.projection === undefined) return options.skip > 0 ? [] : documents.slice(0, options.limit);
  const sort: Record<string, 1 | -1> = { ...options.sort };
  if (!('_id' in sort)) sort['_id'] = 1;
  try {
    return new Query({}, OPTIONS)
      .find<JsonObject>(documents, options.projection)
      .sort(sort)
      .skip(options.skip)
      .limit(options.limit)
      .all();
  } catch (error) {
    throw invalid('INVALID_FIND_OPTIONS', `The sort or projection was refused: ${messageOf(error)}.`, error);
  }
}

/**
 * Applies a validated update to `document` in place with mingo. `condition` is the filter
 * that matched, which the positional `$` needs; it is omitted for an upsert's new document.
 */
export function applyUpdate(document: JsonObject, update: ValidatedUpdate, condition: Filter | undefined): void {
  checkUpdateTargets(document, update);
  try {
    mingoUpdate(document, Object.fromEntries(update) as MingoModifier, undefined, condition, { cloneMode: 'deep' });
  } catch (error) {
    throw invalid('INVALID_UPDATE', `The update was refused: ${messageOf(error)}.`, error);
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
