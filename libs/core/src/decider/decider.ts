import type { Event } from '../events/event';
import type { SnapshotPolicy } from '../snapshots/snapshot-policy';

/**
 * The aggregate model: pure functions from events to state and from a command and state to
 * new events. `decide` may throw a `DomainError` to refuse the command.
 */
export interface Decider<Command, E extends Event, State> {
  /** Stream category: the stream of entity `id` is `<category>-<id>`. */
  readonly category: string;
  initialState(): State;
  evolve(state: State, event: E): State;
  decide(command: Command, state: State): readonly E[];
  /** Opt in to snapshots: the state is stored every `every` events, so loads read only what came after. */
  readonly snapshot?: SnapshotPolicy<State>;
}

/** The stream id of an entity: `<Category>-<id>`. */
export function streamIdOf(decider: { readonly category: string }, id: string): string {
  return `${decider.category}-${id}`;
}
