import type { ProjectionHandler } from './projection-handler';
import type { ProjectionOptions } from './projection-options';

/** A projection instance with the options its decorator declared. */
export interface RegisteredProjection {
  readonly handler: ProjectionHandler<never>;
  readonly options: ProjectionOptions;
  /** Names the checkpoint, lease and parked events; `projection:<name>` unless given (sagas use `saga:<name>`). */
  readonly subscription?: string;
  /** Whether a changed `version` rebuilds the read model on start (default true); a saga keeps its state instead. */
  readonly rebuildOnVersionChange?: boolean;
}

/** The checkpoint name under which a projection's position is stored; its lease and parked events go by it too. */
export function projectionCheckpointName(name: string): string {
  return `projection:${name}`;
}

/** The name of the lease that keeps two replays of one projection apart; its parked events go by it until the swap. */
export function replayLeaseName(name: string): string {
  return `replay:${name}`;
}
