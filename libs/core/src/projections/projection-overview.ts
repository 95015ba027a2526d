import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import { ParkedEvents } from './parked-events';
import { activeHolder, LEASES_COLLECTION, type LeaseDocument } from './projection-lease';
import type { ProjectionOptions } from './projection-options';
import { ProjectionVersions } from './projection-versions';
import { projectionCheckpointName, replayLeaseName } from './registered-projection';

/**
 * A projection's state as any process sees it in the store: `rebuilding` while a replay holds
 * its replay lease, else what the process holding its lease last reported (`live`,
 * `catching-up`, `failing`), else `stopped` because no process runs it.
 */
export type ProjectionOverviewState = 'live' | 'catching-up' | 'rebuilding' | 'failing' | 'stopped';

/** One projection, as operators see it from any process (`projections list`). */
export interface ProjectionOverview {
  readonly name: string;
  /** The version in this process's code. */
  readonly version: number;
  /** The version that built the stored read model; null before anything was built. */
  readonly storedVersion: number | null;
  readonly state: ProjectionOverviewState;
  readonly checkpoint: Position | null;
  readonly head: Position | null;
  /** Events between the checkpoint and the head; null where the store's positions do not count events. */
  readonly lag: number | null;
  readonly parked: number;
  /** The process running (or rebuilding) it, as `host:pid:instance:tag`; null when none does. */
  readonly runBy: string | null;
  /** The error its runner last reported, while it is failing. */
  readonly lastError: string | null;
}

const REPORTED_STATES: readonly ProjectionOverviewState[] = ['live', 'catching-up', 'failing', 'rebuilding'];

/** Reads one projection's overview from the stores; `head` is read once by the caller for all of them. */
export async function describeProjection(
  options: ProjectionOptions,
  events: EventStore,
  documents: DocumentStore,
  head: Position | null,
  now: number = Date.now(),
): Promise<ProjectionOverview> {
  const subscription = projectionCheckpointName(options.name);
  const leases = documents.collection<LeaseDocument>(LEASES_COLLECTION);
  const [checkpoint, recorded, parked, lease, replay] = await Promise.all([
    documents.getCheckpoint(subscription),
    new ProjectionVersions(documents).recorded(options.name),
    new ParkedEvents(documents).count(subscription),
    leases.findOne({ _id: subscription }),
    leases.findOne({ _id: replayLeaseName(options.name) }),
  ]);
  const rebuilder = activeHolder(replay, now);
  const runner = activeHolder(lease, now);
  const reported = REPORTED_STATES.find((state) => state === lease?.state) ?? 'live';
  const state: ProjectionOverviewState = rebuilder !== null ? 'rebuilding' : runner !== null ? reported : 'stopped';
  return {
    name: options.name,
    version: options.version,
    storedVersion: recorded ?? (checkpoint === null ? null : 1),
    state,
    checkpoint,
    head,
    lag: events.eventsBetween(checkpoint, head),
    parked,
    runBy: rebuilder ?? runner,
    lastError: state === 'failing' ? (lease?.error ?? null) : null,
  };
}
