import type { DocumentStore } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import { ParkedEvents } from './parked-events';
import { activeHolder, Lease, LEASES_COLLECTION } from './projection-lease';
import type { ProjectionOptions } from './projection-options';
import { ProjectionVersions } from './projection-versions';
import { projectionCheckpointName, replayLeaseName, versionedCollection } from './registered-projection';
import { shadowName } from './shadow-collections';
import { ServingInstances } from './serving-instances';

/** What retiring a projection version removed. */
export interface RetireResult {
  readonly projection: string;
  readonly version: number;
  /** The physical collections dropped (those that existed). */
  readonly dropped: readonly string[];
}

/** Processes still serve the version: retiring it would pull the read model from under them. */
export class VersionInServiceError extends StrataError {
  constructor(
    name: string,
    version: number,
    readonly servedBy: readonly string[],
  ) {
    super(
      'VERSION_IN_SERVICE',
      `Projection '${name}' v${version} is still served by ${servedBy.join(', ')}. Stop those instances (or wait until their entries lapse), then retire it.`,
    );
  }
}

/**
 * Drops one version's read model: its collections (and shadows), checkpoint, parked events,
 * leases and record. Refused while a live process serves that version, or a replay rebuilds
 * it. The version's lease is taken first, so a process starting meanwhile stands by, and
 * builds that version anew from the start of the log once it is gone.
 */
export async function retireProjectionVersion(
  options: ProjectionOptions,
  version: number,
  documents: DocumentStore,
  owner: string,
  leaseTtlMs: number,
  now: () => number = Date.now,
): Promise<RetireResult> {
  const { name } = options;
  const present = await new ProjectionVersions(documents).present(options);
  const retired = present.find((document) => document.version === version);
  if (!retired) {
    const versions = present.map((document) => `v${document.version}`).join(', ') || 'none';
    throw new StrataError('UNKNOWN_PROJECTION_VERSION', `Projection '${name}' has no v${version} in this store. Versions present: ${versions}.`);
  }
  const servedBy = (await new ServingInstances(documents, now).live(projectionCheckpointName(name), version)).map((entry) => entry.owner);
  if (servedBy.length > 0) throw new VersionInServiceError(name, version, servedBy);
  const subscription = projectionCheckpointName(name, version);
  const replay = new Lease(documents, replayLeaseName(name, version), owner, leaseTtlMs, now);
  const replaying = activeHolder(await replay.read(), now());
  if (replaying !== null) throw new VersionInServiceError(name, version, [`a replay in ${replaying}`]);
  await new Lease(documents, subscription, owner, leaseTtlMs, now).steal({ state: 'retiring', error: null });
  const dropped: string[] = [];
  for (const collection of retired.collections) {
    const physical = versionedCollection(collection, version);
    if (await documents.dropCollection(physical)) dropped.push(physical);
    await documents.dropCollection(shadowName(physical));
  }
  const parked = new ParkedEvents(documents);
  await parked.discard(subscription);
  await parked.discard(replay.name);
  await documents.deleteCheckpoint(subscription);
  await new ProjectionVersions(documents).remove(name, version);
  await documents.collection(LEASES_COLLECTION).deleteMany({ _id: { $in: [subscription, replay.name] } });
  return { projection: name, version, dropped };
}
