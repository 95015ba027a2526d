import { type Event, type RecordedEvent, type SagaHandler } from '@strata/core';
import { type SagaCommand, requireSagaOptions } from '@strata/core/adapter';
import { errorExpectation, verifyThrown, type ErrorCheck, type ErrorClass } from './error-expectation';
import {
  assertCancels,
  assertDispatches,
  assertDone,
  assertFires,
  assertNothingHappened,
  assertSchedules,
  assertState,
  type ExpectedDeadline,
  type ExpectedFiredDeadline,
  type SagaSubject,
} from './saga-assertions';
import { DEFAULT_COMMAND_ERROR, type SagaCommandError, type SagaGivenEvent, type SagaHistoryEntry } from './saga-history';
import { runScenario, sagaActions, type SagaAction, type SagaOutcome, type SagaUnderTest } from './saga-scenario';
import { SpecificationFailedError } from './specification-failed-error';

/** The events a saga class handles, read from its `correlate`. */
export type SagaEventOf<H extends SagaHandler<unknown, never>> = Parameters<H['correlate']>[0] extends RecordedEvent<infer E> ? E : never;

/** The state a saga class keeps per instance. */
export type SagaStateOf<H extends SagaHandler<unknown, never>> = ReturnType<H['initialState']>;

/** First step of a saga specification: what the saga has already taken in. */
export interface SagaGiven<E extends Event, State> {
  /**
   * The history, oldest first: events (`{ type, data }`, the rest filled in as `recordGivenEvents`
   * does), `commandFailed(type, error)` and `timeElapsed(ms)`; `[]` is a saga that has seen nothing.
   */
  given(history: readonly SagaHistoryEntry<E>[]): SagaWhen<E, State>;
}

/** Second step of a saga specification: the one thing that happens next. */
export interface SagaWhen<E extends Event, State> {
  /** The event is delivered to the instance it correlates to (or starts one). */
  when(event: SagaGivenEvent<E>): SagaThen<State>;
  /** The virtual clock moves on by `ms`; each deadline due by then fires, in order, at its own time. */
  whenTimeElapses(ms: number): SagaThen<State>;
  /** The last `commandType` command the saga sent is refused, and the saga is told as the engine tells it. */
  whenCommandFails(commandType: string, error?: SagaCommandError): SagaThen<State>;
}

/**
 * Last step of a saga specification: what the `when` step must have done. Each method rejects
 * with `SpecificationFailedError` when it does not hold. The scenario runs once, on the first
 * check, so a step may be kept in a variable and checked by several of them.
 */
export interface SagaThen<State> {
  /** Exactly these commands were dispatched, in this order (by the saga's reactions and by fired command deadlines). */
  thenDispatches(expected: readonly SagaCommand[]): Promise<void>;
  /** Exactly these deadlines were scheduled; `after` counts from when the saga scheduled it. */
  thenSchedules(expected: readonly ExpectedDeadline[]): Promise<void>;
  /** Exactly these deadline keys were cancelled with `cancel` (finishing an instance cancels the rest silently). */
  thenCancels(keys: readonly string[]): Promise<void>;
  /**
   * At least one deadline came due and fired; with arguments, exactly these fired, in order, each
   * given as its key or as `{ key, at?, command?, event? }` compared on the fields it names.
   */
  thenFiresDeadline(...expected: readonly (string | ExpectedFiredDeadline)[]): Promise<void>;
  /** The instance the step reached was finished by it. */
  thenDone(): Promise<void>;
  /** The instance the step reached holds this state (deep equality, as stored). */
  thenState(expected: State): Promise<void>;
  /** Nothing was dispatched, scheduled, cancelled or fired, and no instance started, changed or finished. */
  thenNothingHappened(): Promise<void>;
  // The check overload comes first so that a lone arrow function gets `unknown` as its parameter type.
  /** `correlate` or `handle` threw something that passes `check`. */
  thenThrows(check: ErrorCheck<unknown>): Promise<void>;
  /** `correlate` or `handle` threw an instance of `errorClass` that passes `check`, if one is given. */
  thenThrows<Err extends Error>(errorClass: ErrorClass<Err>, check?: ErrorCheck<Err>): Promise<void>;
}

/**
 * Given-when-then tests for `@Saga` classes, independent of the test runner:
 * `await SagaSpecification.for(TransferSaga, settings).given([requested]).when(withdrawn).thenDispatches([deposit])`.
 *
 * Every event goes through the engine's own `sagaStep` on a virtual clock that starts at
 * `GIVEN_EVENTS_START` and moves only when time elapses, so deadlines, command ids and the
 * `SagaCommandFailed` and timeout events the saga sees are the ones production would give it.
 */
export const SagaSpecification = {
  /** Starts a specification of a saga class, constructed with `args`. */
  for<A extends unknown[], H extends SagaHandler<unknown, never>>(saga: new (...args: A) => H, ...args: A): SagaGiven<SagaEventOf<H>, SagaStateOf<H>> {
    const options = requireSagaOptions(saga);
    const underTest: SagaUnderTest = { options, create: () => new saga(...args) };
    return {
      given: (history) => ({
        when: (event) => thenStep(underTest, history, sagaActions.event(event)),
        whenTimeElapses: (ms) => thenStep(underTest, history, sagaActions.time(ms)),
        whenCommandFails: (commandType, error = DEFAULT_COMMAND_ERROR) => thenStep(underTest, history, sagaActions.failure(commandType, error)),
      }),
    };
  },
};

function thenStep<State>(saga: SagaUnderTest, history: readonly object[], action: SagaAction): SagaThen<State> {
  const subject: SagaSubject = { saga: saga.options.name, step: action.label };
  // The run is pure, so one outcome serves every assertion on this step.
  let outcome: Promise<SagaOutcome> | undefined;
  const check = async (assertion: (outcome: SagaOutcome) => void): Promise<void> => {
    outcome ??= runScenario(saga, history, action);
    assertion(await outcome);
  };
  return {
    thenDispatches: (expected) => check((ran) => assertDispatches(subject, ran, expected)),
    thenSchedules: (expected) => check((ran) => assertSchedules(subject, ran, expected)),
    thenCancels: (keys) => check((ran) => assertCancels(subject, ran, keys)),
    thenFiresDeadline: (...expected) => check((ran) => assertFires(subject, ran, expected)),
    thenDone: () => check((ran) => assertDone(subject, ran)),
    thenState: (expected) => check((ran) => assertState(subject, ran, expected)),
    thenNothingHappened: () => check((ran) => assertNothingHappened(subject, ran)),
    thenThrows: (errorClassOrCheck: ErrorClass | ErrorCheck<unknown>, extra?: ErrorCheck<never>) =>
      check((ran) => {
        const expectation = errorExpectation(errorClassOrCheck, extra as ErrorCheck<unknown> | undefined);
        if ('threw' in ran) return verifyThrown(`Saga '${subject.saga}'`, 'the saga', ran.threw, expectation, ` ${subject.step}.`);
        throw new SpecificationFailedError(
          `Saga '${subject.saga}' was expected to throw ${expectation.wanted} ${subject.step}, but it ran without throwing.`,
          { expected: expectation.errorClass },
        );
      }),
  };
}
