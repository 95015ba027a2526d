import type { AggregateHandle } from '../commands/aggregate-handle';
import type { Event } from '../events/event';
import type { Decider } from './decider';

// Deciders are written as functions over unions; their variance is irrelevant where any decider will do.
/** Any decider, whatever its command, event and state types. */
export type AnyDecider = Decider<never, Event, unknown>;

/** The command union a decider decides on. */
export type CommandOf<D> = D extends { decide(command: infer C, state: never): unknown } ? C : never;

/** The event union a decider folds and emits. */
export type EventOf<D> = D extends { decide(command: never, state: never): readonly (infer E)[] } ? E : never;

/** The state a decider folds its events into. */
export type StateOf<D> = D extends { initialState(): infer S } ? S : never;

/** The `AggregateHandle` that `@InjectDecider(decider)` gives, typed from the decider alone. */
export type AggregateHandleOf<D> = EventOf<D> extends Event ? AggregateHandle<CommandOf<D>, EventOf<D>, StateOf<D>> : never;
