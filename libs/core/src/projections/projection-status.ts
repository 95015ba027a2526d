import type { Position } from '../event-store/position';

/**
 * What a runner is doing: `standby` while another process holds the lease, `catching-up`
 * while it reads full pages, `live` once it has reached the head, `failing` while it retries
 * an event or the store, `rebuilding` while its read model is rebuilt for a new version (here
 * or by a replay elsewhere), `stopped` after `stop()`.
 */
export type ProjectionState = 'idle' | 'standby' | 'catching-up' | 'live' | 'failing' | 'rebuilding' | 'stopped';

/** A projection's progress, as operators and health checks see it. */
export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly state: ProjectionState;
  /** The last committed position, or null before the first batch. */
  readonly checkpoint: Position | null;
  readonly head: Position | null;
  /** Events between the checkpoint and the head; null where the store's positions do not count events. */
  readonly lag: number | null;
  readonly parked: number;
  /** Whether this process holds the projection's lease. */
  readonly holdsLease: boolean;
  readonly lastError: string | null;
}
