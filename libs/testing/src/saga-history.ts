import type { Event, RecordedEvent } from '@strata/core';
import type { GivenEvent } from './given-events';

const SAGA_MESSAGE = Symbol('strata:saga-spec-message');

/** How a refused command is described: a `DomainError` fits, as does a plain `{ code, message }`. */
export interface SagaCommandError {
  readonly code: string;
  readonly message: string;
}

/** In a saga's history: the engine told the saga that a command it sent was refused. */
export interface CommandFailedEntry {
  readonly [SAGA_MESSAGE]: 'command-failed';
  readonly commandType: string;
  readonly error: SagaCommandError;
}

/** In a saga's history: the virtual clock moved on, firing the deadlines that came due. */
export interface TimeElapsedEntry {
  readonly [SAGA_MESSAGE]: 'time-elapsed';
  readonly ms: number;
}

/** An event a saga handles, given as `{ type, data }` plus any recorded fields it relies on. */
export type SagaGivenEvent<E extends Event> = E extends Event ? GivenEvent<RecordedEvent<E>> : never;

/** One entry of a saga's given history: an event, a command failure, or time passing. */
export type SagaHistoryEntry<E extends Event> = SagaGivenEvent<E> | CommandFailedEntry | TimeElapsedEntry;

/** The refusal the specification reports when none is given. */
export const DEFAULT_COMMAND_ERROR: SagaCommandError = { code: 'REFUSED', message: 'The command was refused.' };

/**
 * A history entry: the last command of `commandType` the saga sent (and that has not failed yet)
 * was refused with `error`, which the saga receives as `SagaCommandFailed`, as the engine delivers it.
 */
export function commandFailed(commandType: string, error: SagaCommandError = DEFAULT_COMMAND_ERROR): CommandFailedEntry {
  return { [SAGA_MESSAGE]: 'command-failed', commandType, error: { code: error.code, message: error.message } };
}

/** A history entry: `ms` milliseconds pass on the virtual clock, and the deadlines due by then fire. */
export function timeElapsed(ms: number): TimeElapsedEntry {
  return { [SAGA_MESSAGE]: 'time-elapsed', ms };
}

/** Whether a history entry is one of the markers above rather than an event. */
export function isCommandFailed(entry: object): entry is CommandFailedEntry {
  return (entry as Partial<CommandFailedEntry>)[SAGA_MESSAGE] === 'command-failed';
}

export function isTimeElapsed(entry: object): entry is TimeElapsedEntry {
  return (entry as Partial<TimeElapsedEntry>)[SAGA_MESSAGE] === 'time-elapsed';
}
