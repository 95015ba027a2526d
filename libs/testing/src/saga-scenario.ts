import { type SagaHandler } from '@strata/core';
import { SAGA_COMMAND_FAILED, type SagaOptions } from '@strata/core/adapter';
import { describeThrown, printValue } from './format';
import type { AnyGivenEvent } from './given-events';
import { isCommandFailed, isTimeElapsed, type SagaCommandError } from './saga-history';
import { noEffects, SagaRun, type DeadlineView, type SagaEffects } from './saga-run';
import { SpecificationFailedError } from './specification-failed-error';

/** A saga class ready to run: its declaration, and a way to make a fresh instance. */
export interface SagaUnderTest {
  readonly options: SagaOptions;
  readonly create: () => SagaHandler<unknown, never>;
}

/** The step under test: what it does to the run, and how a failure message names it. */
export interface SagaAction {
  /** e.g. `on MoneyWithdrawn`, `after 30000 ms`. */
  readonly label: string;
  act(run: SagaRun, effects: SagaEffects): Promise<void>;
}

/** What the step under test did, or what it threw. */
export type SagaOutcome =
  | {
      readonly effects: SagaEffects;
      /** Deadlines still waiting after the step, soonest first. */
      readonly pending: readonly DeadlineView[];
      /** The virtual clock when the step began, in ms since the epoch. */
      readonly startedAt: number;
    }
  | { readonly threw: unknown };

/** Delivers an event, a command failure or a stretch of time: one entry of a given history, or a `when`. */
export async function applyEntry(run: SagaRun, entry: object, effects: SagaEffects): Promise<void> {
  if (isCommandFailed(entry)) return run.failCommand(entry.commandType, entry.error, effects);
  if (isTimeElapsed(entry)) return run.elapse(entry.ms, effects);
  await run.deliver(entry as AnyGivenEvent, effects);
}

/**
 * An event type the saga does not handle never reaches it, so a step or history built on one
 * would pass any "nothing happened" check without testing anything: that is the spec's mistake.
 */
function assertHandled(options: SagaOptions, type: string, where: string): void {
  if (type === SAGA_COMMAND_FAILED || options.handles.includes(type)) return;
  throw new SpecificationFailedError(
    `Saga '${options.name}' does not handle ${type}, so ${where} tests nothing: the engine never delivers it. It handles ${options.handles.join(', ')} (and ${SAGA_COMMAND_FAILED}).`,
  );
}

/** The `when` steps the specification offers. */
export const sagaActions = {
  event: (event: AnyGivenEvent): SagaAction => ({
    label: `on ${event.type}`,
    act: (run, effects) => {
      assertHandled(run.options, event.type, `when(${event.type})`);
      return applyEntry(run, event, effects);
    },
  }),
  time: (ms: number): SagaAction => ({ label: `after ${ms} ms`, act: (run, effects) => run.elapse(ms, effects) }),
  failure: (commandType: string, error: SagaCommandError): SagaAction => ({
    label: `when ${commandType} failed`,
    act: (run, effects) => run.failCommand(commandType, error, effects),
  }),
};

/** Runs a fresh saga instance through the history, then the step under test, and reports what the step did. */
export async function runScenario(saga: SagaUnderTest, history: readonly object[], action: SagaAction): Promise<SagaOutcome> {
  const run = new SagaRun(saga.options, saga.create());
  for (const [index, entry] of history.entries()) {
    if (!isCommandFailed(entry) && !isTimeElapsed(entry)) {
      assertHandled(saga.options, (entry as AnyGivenEvent).type, `given entry #${index + 1} (${describeEntry(entry)})`);
    }
    try {
      await applyEntry(run, entry, noEffects());
    } catch (error) {
      if (error instanceof SpecificationFailedError) throw error;
      // Not the outcome under test: the history itself cannot be replayed.
      throw new SpecificationFailedError(
        `Saga '${saga.options.name}' could not take in given entry #${index + 1} (${describeEntry(entry)}): ${describeThrown(error)}`,
        { actual: error, cause: error },
      );
    }
  }
  const effects = noEffects();
  const startedAt = run.now;
  try {
    await action.act(run, effects);
  } catch (error) {
    if (error instanceof SpecificationFailedError) throw error;
    return { threw: error };
  }
  return { effects, pending: run.pending(), startedAt };
}

function describeEntry(entry: object): string {
  if (isCommandFailed(entry)) return `commandFailed(${printValue(entry.commandType)})`;
  if (isTimeElapsed(entry)) return `timeElapsed(${entry.ms})`;
  return (entry as AnyGivenEvent).type;
}
