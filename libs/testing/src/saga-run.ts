import { deriveId, type Event, type RecordedEvent, type SagaCommandFailed, type SagaHandler } from '@strata/core';
import { SAGA_COMMAND_FAILED, type SagaCommand, type SagaOptions, instanceIdOf, sagaStep, sagaStreamId, type DeadlineDocument, type SagaInstanceDocument, type SagaStep } from '@strata/core/adapter';
import { printValue } from './format';
import { GivenEventRecorder, GIVEN_EVENTS_START, type AnyGivenEvent } from './given-events';
import type { SagaCommandError } from './saga-history';
import { assertStorable } from './saga-storable';
import { SpecificationFailedError } from './specification-failed-error';

/** A command the saga sent, with the id the engine would dispatch it under. */
export interface DispatchedCommand {
  readonly commandId: string;
  readonly instanceId: string;
  readonly command: SagaCommand;
  readonly correlationId: string | null;
}

/** A deadline waiting on the virtual clock, or one that fired. */
export type DeadlineView = { readonly instanceId: string; readonly key: string; readonly at: Date; readonly scheduledAt: Date } & (
  | { readonly command: SagaCommand }
  | { readonly event: Event }
);

/** One instance before and after a stretch of the scenario. */
export interface InstanceChange {
  readonly before: SagaInstanceDocument | undefined;
  readonly after: SagaInstanceDocument;
}

/** Why an event reached no handler, in words for a failure message. */
export interface IgnoredEvent {
  readonly event: RecordedEvent;
  readonly reason: string;
}

/** Everything one stretch of the scenario (a `when` step) did, in order. */
export interface SagaEffects {
  readonly dispatched: DispatchedCommand[];
  readonly scheduled: DeadlineView[];
  readonly cancelled: string[];
  readonly fired: DeadlineView[];
  readonly ignored: IgnoredEvent[];
  /** The instances the stretch touched, by id, in the order it first touched them. */
  readonly changes: Map<string, InstanceChange>;
}

/** Effects that nothing has happened to yet. */
export function noEffects(): SagaEffects {
  return { dispatched: [], scheduled: [], cancelled: [], fired: [], ignored: [], changes: new Map() };
}

type PendingDeadline = DeadlineDocument & { readonly scheduledAt: number };

// A saga that schedules a deadline from its own timeout at `after: 0` would fire forever.
const MAX_FIRINGS = 1_000;

/**
 * A saga run the way the engine runs it, on a virtual clock and without a store: each event goes
 * through core's `sagaStep`, sent commands are remembered (so one can be failed later), and
 * deadlines fire when the clock passes them, their timeout events delivered on the instance's
 * own stream with the ids the engine would give them.
 */
export class SagaRun {
  private readonly instances = new Map<string, SagaInstanceDocument>();
  private readonly deadlines = new Map<string, PendingDeadline>();
  private readonly sent: DispatchedCommand[] = [];
  private readonly recorder = new GivenEventRecorder();
  private time = GIVEN_EVENTS_START.getTime();

  constructor(
    readonly options: SagaOptions,
    private readonly handler: SagaHandler<unknown, never>,
  ) {}

  /** The virtual clock, in milliseconds since the epoch. */
  get now(): number {
    return this.time;
  }

  /** The deadlines not fired yet, soonest first. */
  pending(): DeadlineView[] {
    return [...this.deadlines.values()].sort(byDue).map(view);
  }

  /** Delivers one event to the instance it belongs to; returns the recorded event. */
  async deliver(given: AnyGivenEvent, effects: SagaEffects): Promise<RecordedEvent> {
    const event = this.recorder.record(given);
    const instanceId = instanceIdOf(this.options, this.handler, event);
    if (instanceId === null) {
      effects.ignored.push({ event, reason: 'it belongs to no instance: it is not a type the saga handles, or correlate returned null' });
      return event;
    }
    const stored = this.instances.get(instanceId) ?? null;
    const step = await sagaStep(this.options, this.handler, instanceId, stored, event, this.time);
    if (step === null) {
      effects.ignored.push({ event, reason: whyIgnored(this.options, instanceId, stored) });
      return event;
    }
    await this.apply(step, effects);
    return event;
  }

  /** Delivers `SagaCommandFailed` for the latest command of this type that has not failed yet. */
  async failCommand(commandType: string, error: SagaCommandError, effects: SagaEffects): Promise<void> {
    let index = this.sent.length - 1;
    while (index >= 0 && this.sent[index]?.command.type !== commandType) index -= 1;
    const failing = this.sent[index];
    if (failing === undefined) {
      const sent = this.sent.map((each) => each.command.type);
      throw new SpecificationFailedError(
        `Saga '${this.options.name}' has not sent a ${commandType} command that could fail; ` +
          (sent.length === 0 ? 'it has sent no commands (that have not failed already).' : `the commands it sent and that have not failed are ${printValue(sent)}.`),
      );
    }
    this.sent.splice(index, 1);
    const data: SagaCommandFailed['data'] = { commandId: failing.commandId, command: failing.command, error: { code: error.code, message: error.message } };
    await this.deliver(
      {
        id: deriveId('saga-command-failed', failing.commandId),
        type: SAGA_COMMAND_FAILED,
        data,
        streamId: sagaStreamId(this.options.name, failing.instanceId),
        metadata: { causationId: failing.commandId, ...(failing.correlationId === null ? {} : { correlationId: failing.correlationId }) },
        createdAt: new Date(this.time),
      },
      effects,
    );
  }

  /** Moves the clock on by `ms`, firing each deadline that comes due on the way at its own time. */
  async elapse(ms: number, effects: SagaEffects): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new SpecificationFailedError(`Time can only move forward: ${printValue(ms)} ms is not a duration.`);
    const until = this.time + ms;
    for (let firings = 0; ; firings++) {
      const next = [...this.deadlines.values()].sort(byDue)[0];
      if (next === undefined || next.dueAt > until) break;
      if (firings >= MAX_FIRINGS) {
        throw new SpecificationFailedError(`Saga '${this.options.name}' fired ${MAX_FIRINGS} deadlines within ${ms} ms; it keeps rescheduling '${next.key}' without end.`);
      }
      this.time = Math.max(this.time, next.dueAt);
      this.deadlines.delete(next._id);
      effects.fired.push(view(next));
      await this.fire(next, effects);
    }
    this.time = until;
  }

  private async fire(deadline: PendingDeadline, effects: SagaEffects): Promise<void> {
    // The same id the engine's scheduler gives a firing: the deadline and the event that scheduled it.
    const firingId = deriveId('saga-deadline', deadline._id, deadline.scheduledBy);
    if ('command' in deadline.action) {
      this.send({ commandId: firingId, instanceId: deadline.instanceId, command: deadline.action.command, correlationId: deadline.correlationId }, effects);
      return;
    }
    const metadata = { causationId: firingId, ...(deadline.correlationId === null ? {} : { correlationId: deadline.correlationId }) };
    const { type, data } = deadline.action.event;
    const streamId = sagaStreamId(this.options.name, deadline.instanceId);
    await this.deliver({ id: firingId, type, data, streamId, metadata, createdAt: new Date(this.time) }, effects);
  }

  private async apply(step: SagaStep, effects: SagaEffects): Promise<void> {
    await assertStorable(this.options.name, step);
    const { instanceId } = step.instance;
    const before = effects.changes.get(instanceId)?.before ?? this.instances.get(instanceId);
    effects.changes.set(instanceId, { before, after: step.instance });
    this.instances.set(instanceId, step.instance);
    for (const entry of step.outbox) this.send({ commandId: entry._id, instanceId, command: entry.command, correlationId: entry.correlationId }, effects);
    if (step.cancelAll) {
      for (const [id, deadline] of this.deadlines) if (deadline.instanceId === instanceId) this.deadlines.delete(id);
    }
    const prefix = `${step.instance._id}/`;
    for (const id of step.cancelled) {
      this.deadlines.delete(id);
      effects.cancelled.push(id.slice(prefix.length));
    }
    for (const deadline of step.scheduled) {
      const pending = { ...deadline, scheduledAt: this.time };
      this.deadlines.set(deadline._id, pending);
      effects.scheduled.push(view(pending));
    }
  }

  private send(command: DispatchedCommand, effects: SagaEffects): void {
    this.sent.push(command);
    effects.dispatched.push(command);
  }
}

function whyIgnored(options: SagaOptions, instanceId: string, stored: SagaInstanceDocument | null): string {
  if (stored === null) return `no instance '${instanceId}' exists, and only ${options.startedBy.join(', ')} start one`;
  if (stored.status === 'done') return `instance '${instanceId}' is already done`;
  return `instance '${instanceId}' has already taken in this position (a redelivery)`;
}

// The engine's scheduler fires in this order too: due time, then id.
function byDue(a: PendingDeadline, b: PendingDeadline): number {
  return a.dueAt - b.dueAt || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

function view(deadline: PendingDeadline): DeadlineView {
  const common = { instanceId: deadline.instanceId, key: deadline.key, at: new Date(deadline.dueAt), scheduledAt: new Date(deadline.scheduledAt) };
  return 'command' in deadline.action ? { ...common, command: deadline.action.command } : { ...common, event: deadline.action.event };
}
