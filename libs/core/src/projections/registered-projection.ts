import type { ProjectionHandler } from './projection-handler';
import type { ProjectionOptions } from './projection-options';

/** A projection instance with the options its decorator declared. */
export interface RegisteredProjection {
  readonly handler: ProjectionHandler<never>;
  readonly options: ProjectionOptions;
  /**
   * Names the checkpoint, lease and parked events of every version, and keeps the collections'
   * names as declared: a saga's state is handed from version to version (`saga:<name>`).
   * Without it each version has its own (`projectionCheckpointName`, `versionedCollection`).
   */
  readonly subscription?: string;
}

/**
 * The checkpoint name of one version of a projection; its lease and parked events go by it too.
 * Version 1 keeps the name stores had before versions had read models of their own, so such a
 * store is adopted as version 1 without a rebuild.
 */
export function projectionCheckpointName(name: string, version = 1): string {
  return `projection:${name}${versionSuffix(version, '@v')}`;
}

/** The name of the lease that keeps two replays of one projection version apart; its parked events go by it until the swap. */
export function replayLeaseName(name: string, version = 1): string {
  return `replay:${name}${versionSuffix(version, '@v')}`;
}

/** The physical collection where `version` of a projection keeps its declared `collection`: the name itself for version 1. */
export function versionedCollection(collection: string, version: number): string {
  return `${collection}${versionSuffix(version, '__v')}`;
}

/** The checkpoint, lease and parked-event name of a registered projection or saga. */
export function subscriptionOf(projection: RegisteredProjection): string {
  return projection.subscription ?? projectionCheckpointName(projection.options.name, projection.options.version);
}

/** Maps a declared collection to the physical one this registered version reads and writes. */
export function physicalCollections(projection: RegisteredProjection): (collection: string) => string {
  const { version } = projection.options;
  return projection.subscription === undefined ? (collection) => versionedCollection(collection, version) : (collection) => collection;
}

function versionSuffix(version: number, separator: string): string {
  return version === 1 ? '' : `${separator}${version}`;
}
