import { encodeCursor } from './page-cursor';

/** One page of a list: its items, and the cursor of the next page, or null on the last. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

/** Which page a query wants: at most `limit` items, those after the key `after` when given. */
export interface PageRequest {
  readonly limit: number;
  readonly after: string | undefined;
}

/**
 * Shapes a page from documents fetched with `limit + 1`: the extra one, when there, only says
 * that a next page exists, so no second query is needed to know it.
 */
export function pageOf<D, T>(documents: readonly D[], limit: number, keyOf: (document: D) => string, view: (document: D) => T): Page<T> {
  const onPage = documents.slice(0, limit);
  const last = onPage.at(-1);
  return {
    items: onPage.map(view),
    next: documents.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
