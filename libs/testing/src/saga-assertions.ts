import { isDeepStrictEqual } from 'node:util';
import type { Event } from '@strata/core';
import type { DeadlineRequest, SagaCommand } from '@strata/core/adapter';
import { countOf, describeThrown, diffValues, printValue } from './format';
import type { DeadlineView, InstanceChange, SagaEffects } from './saga-run';
import type { SagaOutcome } from './saga-scenario';
import { SpecificationFailedError } from './specification-failed-error';

/** A deadline a specification expects: a key, `at` or `after`, and a command or an event. */
export type ExpectedDeadline = DeadlineRequest;

/** A fired deadline a specification expects: its key, and optionally when and what it fired. */
export interface ExpectedFiredDeadline {
  readonly key: string;
  readonly at?: Date | number;
  readonly command?: SagaCommand;
  readonly event?: Event;
}

/** Names the saga and the step under test in every failure message. */
export interface SagaSubject {
  readonly saga: string;
  readonly step: string;
}

type Ran = Extract<SagaOutcome, { effects: SagaEffects }>;

/** The outcome of a step that did not throw; a step that threw fails the assertion named `wanted`. */
export function ranWithoutThrowing(subject: SagaSubject, outcome: SagaOutcome, wanted: string): Ran {
  if ('effects' in outcome) return outcome;
  throw new SpecificationFailedError(
    `Saga '${subject.saga}' was expected to ${wanted} ${subject.step}, but it threw ${describeThrown(outcome.threw)}`,
    { actual: outcome.threw, cause: outcome.threw },
  );
}

export function assertDispatches(subject: SagaSubject, outcome: SagaOutcome, expected: readonly SagaCommand[]): void {
  const { effects } = ranWithoutThrowing(subject, outcome, `dispatch ${countOf(expected.length, 'command')}`);
  const actual = effects.dispatched.map((sent) => asStored(sent.command));
  assertEqual(subject, 'dispatched other commands than expected', asStored(expected), actual, ['Expected commands', 'Dispatched commands']);
}

export function assertSchedules(subject: SagaSubject, outcome: SagaOutcome, expected: readonly ExpectedDeadline[]): void {
  const ran = ranWithoutThrowing(subject, outcome, `schedule ${countOf(expected.length, 'deadline')}`);
  const actual = ran.effects.scheduled.map(comparable);
  // `after` counts from when the deadline was scheduled, which a fired deadline's reaction moves on.
  const wanted = expected.map((deadline, index) => {
    const from = ran.effects.scheduled[index]?.scheduledAt.getTime() ?? ran.startedAt;
    const at = new Date('at' in deadline ? deadline.at : from + deadline.after);
    return { key: deadline.key, at, ...('command' in deadline ? { command: asStored(deadline.command) } : { event: asStored(deadline.event) }) };
  });
  assertEqual(subject, 'scheduled other deadlines than expected', wanted, actual, ['Expected deadlines', 'Scheduled deadlines']);
}

export function assertCancels(subject: SagaSubject, outcome: SagaOutcome, keys: readonly string[]): void {
  const { effects } = ranWithoutThrowing(subject, outcome, `cancel ${countOf(keys.length, 'deadline')}`);
  assertEqual(subject, 'cancelled other deadlines than expected', [...keys], effects.cancelled, ['Expected keys', 'Cancelled keys']);
}

export function assertFires(subject: SagaSubject, outcome: SagaOutcome, expected: readonly (string | ExpectedFiredDeadline)[]): void {
  const ran = ranWithoutThrowing(subject, outcome, 'fire a deadline');
  const { fired } = ran.effects;
  if (fired.length === 0) {
    const next = ran.pending[0];
    throw new SpecificationFailedError(
      `Saga '${subject.saga}' was expected to fire a deadline ${subject.step}, but none came due. ` +
        (next === undefined
          ? 'No deadline is pending.'
          : `The next is '${next.key}' at ${next.at.toISOString()}, ${next.at.getTime() - ran.startedAt} ms after the step began.`),
    );
  }
  if (expected.length === 0) return;
  // Each fired deadline is compared on the fields its expectation names, so a key alone is enough.
  const actual = fired.map((deadline, index) => {
    const wanted = expected[index];
    if (typeof wanted === 'string' || wanted === undefined) return deadline.key;
    const full = comparable(deadline) as Record<string, unknown>;
    return Object.fromEntries(Object.keys(wanted).map((field) => [field, full[field]]));
  });
  const wanted = expected.map((deadline) =>
    typeof deadline === 'string'
      ? deadline
      : {
          ...deadline,
          ...(deadline.at === undefined ? {} : { at: new Date(deadline.at) }),
          ...(deadline.command === undefined ? {} : { command: asStored(deadline.command) }),
          ...(deadline.event === undefined ? {} : { event: asStored(deadline.event) }),
        },
  );
  assertEqual(subject, 'fired other deadlines than expected', wanted, actual, ['Expected deadlines', 'Fired deadlines']);
}

export function assertDone(subject: SagaSubject, outcome: SagaOutcome): void {
  const [id, change] = touchedInstance(subject, ranWithoutThrowing(subject, outcome, 'finish its instance'), 'finish its instance');
  if (change.after.status === 'done' && change.before?.status !== 'done') return;
  throw new SpecificationFailedError(
    `Saga '${subject.saga}' was expected to finish instance '${id}' ${subject.step}, but the instance is still active. ` +
      `Return { done: true } from handle to finish it. Its state is:\n\n${printValue(change.after.state)}`,
    { expected: 'done', actual: change.after },
  );
}

export function assertState(subject: SagaSubject, outcome: SagaOutcome, expected: unknown): void {
  const [, change] = touchedInstance(subject, ranWithoutThrowing(subject, outcome, 'leave a state'), 'leave a state');
  assertEqual(subject, 'left another state than expected', asStored(expected), asStored(change.after.state), ['Expected state', 'Actual state']);
}

export function assertNothingHappened(subject: SagaSubject, outcome: SagaOutcome): void {
  const { effects } = ranWithoutThrowing(subject, outcome, 'do nothing');
  const happened = [
    ...effects.dispatched.map((sent) => `dispatched ${printValue(sent.command)}`),
    ...effects.scheduled.map((deadline) => `scheduled '${deadline.key}' at ${deadline.at.toISOString()}`),
    ...effects.cancelled.map((key) => `cancelled '${key}'`),
    ...effects.fired.map((deadline) => `fired '${deadline.key}'`),
    ...[...effects.changes].flatMap(([id, change]) => describeChange(id, change)),
  ];
  if (happened.length === 0) return;
  throw new SpecificationFailedError(
    `Saga '${subject.saga}' was expected to do nothing ${subject.step}, but it:\n${happened.map((line) => `  - ${line}`).join('\n')}`,
    { actual: effects },
  );
}

function describeChange(id: string, { before, after }: InstanceChange): string[] {
  if (before === undefined) return [`started instance '${id}' with state ${printValue(after.state)}`];
  const changes: string[] = [];
  if (after.status !== before.status) changes.push(`finished instance '${id}'`);
  if (!isDeepStrictEqual(asStored(before.state), asStored(after.state))) {
    changes.push(`changed the state of instance '${id}':\n${diffValues(before.state, after.state, { expected: 'Before', actual: 'After' })}`);
  }
  return changes;
}

// thenDone and thenState speak of one instance: the one the step reached.
function touchedInstance(subject: SagaSubject, ran: Ran, wanted: string): [string, InstanceChange] {
  const touched = [...ran.effects.changes];
  const only = touched[0];
  if (touched.length === 1 && only !== undefined) return only;
  if (touched.length > 1) {
    throw new SpecificationFailedError(
      `Saga '${subject.saga}' was expected to ${wanted} ${subject.step}, but the step reached ${touched.length} instances ` +
        `(${touched.map(([id]) => `'${id}'`).join(', ')}); give each its own specification.`,
    );
  }
  const reasons = ran.effects.ignored.map(({ event, reason }) => `${event.type} was ignored: ${reason}`);
  throw new SpecificationFailedError(
    `Saga '${subject.saga}' was expected to ${wanted} ${subject.step}, but the step reached no instance.` +
      (reasons.length === 0 ? ' No event was delivered.' : `\n${reasons.map((line) => `  - ${line}`).join('\n')}`),
  );
}

function comparable(deadline: DeadlineView): object {
  const { key, at } = deadline;
  return 'command' in deadline ? { key, at, command: asStored(deadline.command) } : { key, at, event: asStored(deadline.event) };
}

// What the engine keeps is JSON: an `undefined` property is not there when the saga reads it back.
function asStored<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function assertEqual(subject: SagaSubject, what: string, expected: unknown, actual: unknown, [expectedLabel, actualLabel]: readonly [string, string]): void {
  if (isDeepStrictEqual(actual, expected)) return;
  throw new SpecificationFailedError(
    `Saga '${subject.saga}' ${what} ${subject.step}.\n\n${diffValues(expected, actual, { expected: expectedLabel, actual: actualLabel })}`,
    { expected, actual },
  );
}
