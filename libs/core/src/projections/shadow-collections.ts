import { StrataError } from '../errors/strata-error';
import { versionedCollection } from './registered-projection';

/** Added to a collection's name to name its shadow, where a replay rebuilds it. */
export const SHADOW_SUFFIX = '__shadow';

/** Collection names are at most 100 characters; a shadow's name must fit too. */
export const MAX_PROJECTED_COLLECTION_NAME = 100 - SHADOW_SUFFIX.length;

/** A name that looks like a version's collection (`accounts__v2`) would clash with one. */
const VERSIONED = /__v\d+$/;

/** The collection a replay rebuilds `collection` in before swapping it in. */
export function shadowName(collection: string): string {
  return `${collection}${SHADOW_SUFFIX}`;
}

/**
 * Refuses a projected collection name whose version's name (`accounts__v2`) leaves no room for
 * its shadow, or that looks like a shadow or a version's collection.
 */
export function assertShadowable(projection: string, collection: string, version = 1): void {
  const physical = versionedCollection(collection, version);
  if (physical.length > MAX_PROJECTED_COLLECTION_NAME || collection.endsWith(SHADOW_SUFFIX) || VERSIONED.test(collection)) {
    throw new StrataError(
      'INVALID_PROJECTION',
      `@Projection(${JSON.stringify(projection)}): collection '${collection}' (kept as '${physical}' by v${version}) must be at most ${MAX_PROJECTED_COLLECTION_NAME} characters and not end in '${SHADOW_SUFFIX}' or '__v<n>', so a replay can rebuild it beside the live one and each version has its own.`,
    );
  }
}
