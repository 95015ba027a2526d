import type { Decider } from '../decider/decider';
import { streamIdOf } from '../decider/decider';
import type { Event } from '../events/event';
import type { EventStore } from '../event-store/event-store';
import { snapshotPolicyOf } from '../snapshots/snapshot-policy';
import type { Snapshots } from '../snapshots/snapshots';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-result';
import { handleCommand, loadStream, type LoadedStream } from './handle-command';
import type { RetryPolicy } from './retry-policy';

/** One decider bound to the event store (and its snapshots, when it opts in): what a command handler calls. */
export class AggregateHandle<Command, E extends Event, State> {
  private readonly snapshots: Snapshots | undefined;

  constructor(
    private readonly store: EventStore,
    readonly decider: Decider<Command, E, State>,
    private readonly retry?: RetryPolicy,
    snapshots?: Snapshots,
  ) {
    // A malformed snapshot policy fails at start-up, not at the first command.
    this.snapshots = snapshotPolicyOf(decider) === undefined ? undefined : snapshots;
  }

  /** Loads entity `id`, decides `command`, and appends the result. */
  handle(id: string, command: Command, context: CommandContext = {}): Promise<CommandResult> {
    const options = { ...context, ...(this.retry && { retry: this.retry }), ...(this.snapshots && { snapshots: this.snapshots }) };
    return handleCommand(this.store, this.decider, streamIdOf(this.decider, id), command, options);
  }

  /** The current state of entity `id` (revision -1n when it has no events). */
  load(id: string): Promise<LoadedStream<State>> {
    return loadStream(this.store, this.decider, streamIdOf(this.decider, id), this.snapshots ? { snapshots: this.snapshots } : {});
  }
}
