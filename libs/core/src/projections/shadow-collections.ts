import { StrataError } from '../errors/strata-error';

/** Added to a collection's name to name its shadow, where a replay rebuilds it. */
export const SHADOW_SUFFIX = '__shadow';

/** Collection names are at most 100 characters; a shadow's name must fit too. */
export const MAX_PROJECTED_COLLECTION_NAME = 100 - SHADOW_SUFFIX.length;

/** The collection a replay rebuilds `collection` in before swapping it in. */
export function shadowName(collection: string): string {
  return `${collection}${SHADOW_SUFFIX}`;
}

/** Refuses a projected collection name that leaves no room for its shadow, or looks like one. */
export function assertShadowable(projection: string, collection: string): void {
  if (collection.length > MAX_PROJECTED_COLLECTION_NAME || collection.endsWith(SHADOW_SUFFIX)) {
    throw new StrataError(
      'INVALID_PROJECTION',
      `@Projection(${JSON.stringify(projection)}): collection '${collection}' must be at most ${MAX_PROJECTED_COLLECTION_NAME} characters and not end in '${SHADOW_SUFFIX}', so a replay can rebuild it beside the live one.`,
    );
  }
}
