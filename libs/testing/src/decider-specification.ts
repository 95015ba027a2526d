import { isDeepStrictEqual } from 'node:util';
import type { Decider, Event } from '@strata/core';
import { errorExpectation, verifyThrown, type ErrorCheck, type ErrorClass } from './error-expectation';
import { countEvents, deepFreeze, describeThrown, diffEvents, printValue } from './format';
import { SpecificationFailedError } from './specification-failed-error';

/** First step of a decider specification: the events already in the stream. */
export interface DeciderGiven<Command, E extends Event> {
  /** The stream's history, oldest first; `[]` is a fresh stream. */
  given(events: readonly E[]): DeciderWhen<Command, E>;
}

/** Second step of a decider specification: the command under test. */
export interface DeciderWhen<Command, E extends Event> {
  /** The command handed to `decide`, against the state folded from the given events. */
  when(command: Command): DeciderThen<E>;
}

/** Last step of a decider specification: what `decide` must do. Each method throws `SpecificationFailedError` when it does not. */
export interface DeciderThen<E extends Event> {
  /** `decide` returns exactly these events, in this order (deep equality). */
  then(expected: readonly E[]): void;
  /** `decide` returns no events. */
  thenNothingHappened(): void;
  // The check overload comes first so that a lone arrow function gets `unknown` as its parameter type.
  /** `decide` throws something that passes `check`. */
  thenThrows(check: ErrorCheck<unknown>): void;
  /** `decide` throws an instance of `errorClass` that passes `check`, if one is given. */
  thenThrows<Err extends Error>(errorClass: ErrorClass<Err>, check?: ErrorCheck<Err>): void;
}

type Outcome<E> = { readonly returned: readonly E[] } | { readonly threw: unknown };

/**
 * Given-when-then tests for deciders, independent of the test runner:
 * `DeciderSpecification.for(decider).given(events).when(command).then(expectedEvents)`.
 *
 * The state, command and given events are deep-frozen before the decider sees them, so a
 * decider that mutates its input fails the specification instead of passing by accident.
 */
export const DeciderSpecification = {
  /** Starts a specification of `decider`; its command, event and state types carry through. */
  for<Command, E extends Event, State>(decider: Decider<Command, E, State>): DeciderGiven<Command, E> {
    return {
      given: (events) => ({
        when: (command) => {
          // Deciding lazily lets each assertion own the try/catch around `decide`.
          const run = (): Outcome<E> => decideAfter(decider, events, command);
          const subject = `The ${decider.category} decider`;
          return {
            then: (expected) => assertEvents(subject, run(), expected),
            thenNothingHappened: () => assertNothingHappened(subject, run()),
            thenThrows: (errorClassOrCheck: ErrorClass | ErrorCheck<unknown>, check?: ErrorCheck<never>) =>
              assertThrows(subject, run(), errorClassOrCheck, check as ErrorCheck<unknown> | undefined),
          };
        },
      }),
    };
  },
};

function decideAfter<Command, E extends Event, State>(
  decider: Decider<Command, E, State>,
  given: readonly E[],
  command: Command,
): Outcome<E> {
  let state = deepFreeze(decider.initialState());
  given.forEach((event, index) => {
    try {
      state = deepFreeze(decider.evolve(state, deepFreeze(event)));
    } catch (error) {
      // Not the outcome under test: the history itself cannot be replayed.
      throw new SpecificationFailedError(
        `The ${decider.category} decider could not fold the given events: evolve threw ` +
          `${describeThrown(error)} on given event #${index + 1} (${event.type}).`,
        { actual: error, cause: error },
      );
    }
  });
  let returned: readonly E[];
  try {
    returned = decider.decide(deepFreeze(command), state);
  } catch (error) {
    return { threw: error };
  }
  // The types forbid it, but a missing `return` in a switch or an async `decide` gets past them.
  if (!Array.isArray(returned)) {
    throw new SpecificationFailedError(
      `The ${decider.category} decider's decide returned ${printValue(returned)} instead of an array of events.`,
      { actual: returned },
    );
  }
  return { returned };
}

function assertEvents<E>(subject: string, outcome: Outcome<E>, expected: readonly E[]): void {
  if ('threw' in outcome) {
    throw new SpecificationFailedError(
      `${subject} was expected to return ${countEvents(expected)}, but decide threw ${describeThrown(outcome.threw)}\n\n` +
        `Expected events:\n${printValue(expected)}`,
      { expected, actual: outcome.threw, cause: outcome.threw },
    );
  }
  if (isDeepStrictEqual(outcome.returned, expected)) return;
  throw new SpecificationFailedError(
    `${subject} returned other events than expected.\n\n${diffEvents(expected, outcome.returned)}`,
    { expected, actual: outcome.returned },
  );
}

function assertNothingHappened<E>(subject: string, outcome: Outcome<E>): void {
  if ('threw' in outcome) {
    throw new SpecificationFailedError(
      `${subject} was expected to return no events, but decide threw ${describeThrown(outcome.threw)}`,
      { expected: [], actual: outcome.threw, cause: outcome.threw },
    );
  }
  if (outcome.returned.length === 0) return;
  throw new SpecificationFailedError(
    `${subject} was expected to return no events, but it returned ${countEvents(outcome.returned)}:\n\n` +
      printValue(outcome.returned),
    { expected: [], actual: outcome.returned },
  );
}

function assertThrows<E>(
  subject: string,
  outcome: Outcome<E>,
  errorClassOrCheck: ErrorClass | ErrorCheck<unknown>,
  extraCheck: ErrorCheck<unknown> | undefined,
): void {
  const expectation = errorExpectation(errorClassOrCheck, extraCheck);
  if ('returned' in outcome) {
    throw new SpecificationFailedError(
      `${subject} was expected to throw ${expectation.wanted}, but decide returned ${countEvents(outcome.returned)} instead:\n\n` +
        printValue(outcome.returned),
      { expected: expectation.errorClass, actual: outcome.returned },
    );
  }
  verifyThrown(subject, 'decide', outcome.threw, expectation);
}
