import type { Decider } from '../decider/decider';
import { streamIdOf } from '../decider/decider';
import type { Event } from '../events/event';
import type { EventStore } from '../event-store/event-store';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-result';
import { handleCommand, loadStream, type LoadedStream } from './handle-command';
import type { RetryPolicy } from './retry-policy';

/** One decider bound to the event store: what a command handler calls. */
export class AggregateHandle<Command, E extends Event, State> {
  constructor(
    private readonly store: EventStore,
    readonly decider: Decider<Command, E, State>,
    private readonly retry?: RetryPolicy,
  ) {}

  /** Loads entity `id`, decides `command`, and appends the result. */
  handle(id: string, command: Command, context: CommandContext = {}): Promise<CommandResult> {
    const options = this.retry ? { ...context, retry: this.retry } : context;
    return handleCommand(this.store, this.decider, streamIdOf(this.decider, id), command, options);
  }

  /** The current state of entity `id` (revision -1n when it has no events). */
  load(id: string): Promise<LoadedStream<State>> {
    return loadStream(this.store, this.decider, streamIdOf(this.decider, id));
  }
}
