import type { Event, RecordedEvent } from '../events/event';
import type { SagaCommand, SagaCommandFailed, SagaReaction } from './saga-messages';

/** What a saga's `handle` knows besides the state and the event. */
export interface SagaContext {
  readonly instanceId: string;
  /** The time from the injected clock when the event is handled. */
  readonly now: Date;
}

/**
 * A process manager: state per instance, folded from the events it handles, reacting with
 * commands (of type `Command`) and deadlines. `handle` must be deterministic for a given state and event.
 */
export interface SagaHandler<State, E extends Event = Event, Command extends SagaCommand = SagaCommand> {
  /** The instance an event belongs to, or null when it belongs to none. */
  correlate(event: RecordedEvent<E>): string | null;
  initialState(): State;
  handle(state: State, event: RecordedEvent<E | SagaCommandFailed>, ctx: SagaContext): SagaReaction<State, Command> | Promise<SagaReaction<State, Command>>;
}
