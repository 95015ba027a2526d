import type { Event } from '../events/event';
import type { Recorded } from '../events/recorded';

/** Which decider, and which of its entities, a saga command goes to (see `commandFor`). */
export interface SagaCommandTarget {
  /** The decider's `category`. */
  readonly decider: string;
  readonly id: string;
}

/**
 * A command a saga asks for, as plain serialisable data. With `to`, it is a decider's command
 * (made by `commandFor`); without, the saga's `commands` map turns it into a bus command.
 */
export interface SagaCommand<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
  readonly to?: SagaCommandTarget;
}

/** The event type the engine delivers when a dispatched command was refused. */
export const SAGA_COMMAND_FAILED = 'SagaCommandFailed';

/** Delivered to the saga that dispatched a command the domain refused, so it can compensate. */
export type SagaCommandFailed = Event<
  typeof SAGA_COMMAND_FAILED,
  {
    readonly commandId: string;
    readonly command: SagaCommand;
    readonly error: { readonly code: string; readonly message: string };
  }
>;

/** A deadline: a command to dispatch, or an event to deliver to the instance, at a time. */
export type DeadlineRequest = {
  /** Names the deadline within its instance; scheduling a key again replaces it, `cancel` removes it. */
  readonly key: string;
} & ({ readonly at: Date | number } | { readonly after: number }) &
  ({ readonly command: SagaCommand } | { readonly event: Event });

/** What a saga decides for one event; `Command` narrows the commands it may send. */
export interface SagaReaction<State, Command extends SagaCommand = SagaCommand> {
  readonly state: State;
  readonly commands?: readonly Command[];
  readonly schedule?: readonly DeadlineRequest[];
  /** Keys of this instance's deadlines to cancel. */
  readonly cancel?: readonly string[];
  /** Ends the instance: later events are ignored and its pending deadlines are cancelled. */
  readonly done?: boolean;
}

/** What a saga's `handle` receives for event union `E`, discriminated on `type`, the engine's `SagaCommandFailed` included. */
export type SagaMessage<E extends Event> = Recorded<E | SagaCommandFailed>;
