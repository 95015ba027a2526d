import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import { ParkedEvents } from './parked-events';
import { activeHolder, LEASES_COLLECTION, type LeaseDocument } from './projection-lease';
import type { ProjectionOptions } from './projection-options';
import { ProjectionVersions } from './projection-versions';
import { projectionCheckpointName, replayLeaseName } from './registered-projection';
import { ServingInstances } from './serving-instances';

/**
 * A projection version's state as any process sees it in the store: `rebuilding` while a
 * replay holds its replay lease, else what the process holding its lease last reported
 * (`live`, `catching-up`, `failing`), else `stopped` because no process runs it.
 */
export type ProjectionOverviewState = 'live' | 'catching-up' | 'rebuilding' | 'failing' | 'stopped';

/** One version of a projection, as operators see it from any process (`projections list`). */
export interface ProjectionOverview {
  readonly name: string;
  /** The version whose read model this is. */
  readonly version: number;
  /** Whether it is the version in this process's code. */
  readonly inCode: boolean;
  readonly state: ProjectionOverviewState;
  readonly checkpoint: Position | null;
  readonly head: Position | null;
  /** Events between the checkpoint and the head; null where the store's positions do not count events. */
  readonly lag: number | null;
  readonly parked: number;
  /** The process running (or rebuilding) it, as `host:pid:instance:tag`; null when none does. */
  readonly runBy: string | null;
  /** The live processes serving this version, whether or not they hold its lease. */
  readonly servedBy: readonly string[];
  /** The error its runner last reported, while it is failing. */
  readonly lastError: string | null;
}

const REPORTED_STATES: readonly ProjectionOverviewState[] = ['live', 'catching-up', 'failing', 'rebuilding'];

/**
 * Every version of a projection present in the store (recorded, served by a live process, or
 * the one in this code), oldest first; `head` is read once by the caller for all of them.
 */
export async function describeProjectionVersions(
  options: ProjectionOptions,
  events: EventStore,
  documents: DocumentStore,
  head: Position | null,
  now: number = Date.now(),
): Promise<ProjectionOverview[]> {
  const [present, serving] = await Promise.all([
    new ProjectionVersions(documents).present(options),
    new ServingInstances(documents, () => now).live(projectionCheckpointName(options.name)),
  ]);
  const versions = new Set([options.version, ...present.map((document) => document.version), ...serving.map((entry) => entry.version)]);
  return Promise.all(
    [...versions]
      .sort((a, b) => a - b)
      .map((version) => describeProjection(options, events, documents, head, now, version, serving.filter((entry) => entry.version === version).map((entry) => entry.owner))),
  );
}

/** Reads one version's overview (the code's by default) from the stores. */
export async function describeProjection(
  options: ProjectionOptions,
  events: EventStore,
  documents: DocumentStore,
  head: Position | null,
  now: number = Date.now(),
  version: number = options.version,
  servedBy?: readonly string[],
): Promise<ProjectionOverview> {
  const subscription = projectionCheckpointName(options.name, version);
  const leases = documents.collection<LeaseDocument>(LEASES_COLLECTION);
  const [checkpoint, parked, lease, replay, serving] = await Promise.all([
    documents.getCheckpoint(subscription),
    new ParkedEvents(documents).count(subscription),
    leases.findOne({ _id: subscription }),
    leases.findOne({ _id: replayLeaseName(options.name, version) }),
    servedBy ?? new ServingInstances(documents, () => now).live(projectionCheckpointName(options.name), version).then((entries) => entries.map((entry) => entry.owner)),
  ]);
  const rebuilder = activeHolder(replay, now);
  const runner = activeHolder(lease, now);
  const reported = REPORTED_STATES.find((state) => state === lease?.state) ?? 'live';
  const state: ProjectionOverviewState = rebuilder !== null ? 'rebuilding' : runner !== null ? reported : 'stopped';
  return {
    name: options.name,
    version,
    inCode: version === options.version,
    state,
    checkpoint,
    head,
    lag: events.eventsBetween(checkpoint, head),
    parked,
    runBy: rebuilder ?? runner,
    servedBy: serving,
    lastError: state === 'failing' ? (lease?.error ?? null) : null,
  };
}
