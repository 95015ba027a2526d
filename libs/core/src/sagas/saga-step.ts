import { deriveId } from '../commands/event-ids';
import { StrataError } from '../errors/strata-error';
import { comparePositions } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import { instanceKey, deadlineKey, instanceOfSagaStream, type DeadlineDocument, type OutboxDocument, type SagaInstanceDocument } from './saga-documents';
import type { SagaHandler } from './saga-handler';
import { SAGA_COMMAND_FAILED, type DeadlineRequest } from './saga-messages';
import type { SagaOptions } from './saga-options';
import { storedSagaCommand } from './decider-saga-command';
import { traceCarrierOf } from '../observability/tracing';

/** Everything one event changes for a saga: written in one unit of work with the checkpoint. */
export interface SagaStep {
  readonly instance: SagaInstanceDocument;
  readonly outbox: readonly OutboxDocument[];
  readonly scheduled: readonly DeadlineDocument[];
  /** Deadline ids to delete. */
  readonly cancelled: readonly string[];
  /** Delete every deadline of the instance (it is done). */
  readonly cancelAll: boolean;
}

/** The instance an event belongs to: the saga's own stream names it, otherwise `correlate` does. */
export function instanceIdOf(options: SagaOptions, handler: SagaHandler<unknown, never>, event: RecordedEvent): string | null {
  const own = instanceOfSagaStream(options.name, event.streamId);
  if (own !== null) return own;
  if (event.type === SAGA_COMMAND_FAILED || !options.handles.includes(event.type)) return null;
  const id = (handler as SagaHandler<unknown>).correlate(event);
  if (id !== null && (typeof id !== 'string' || id === '')) {
    throw new StrataError('INVALID_CORRELATION', `Saga '${options.name}' correlated ${event.type} at ${event.position} to ${JSON.stringify(id)}; return a non-empty string or null.`);
  }
  return id;
}

/** The id a dispatched command gets: the same for the same instance, triggering event and index, on every delivery. */
export function sagaCommandId(saga: string, instanceId: string, position: string, index: number): string {
  return deriveId('saga-command', saga, instanceId, position, String(index));
}

/**
 * Runs a saga on one event, given the instance as stored (or null). Returns null when the
 * event changes nothing: no instance and not a starting event, a finished instance, or an
 * event the instance has already taken in (redelivery).
 */
export async function sagaStep(
  options: SagaOptions,
  handler: SagaHandler<unknown, never>,
  instanceId: string,
  stored: SagaInstanceDocument | null,
  event: RecordedEvent,
  now: number,
): Promise<SagaStep | null> {
  if (stored === null && !options.startedBy.includes(event.type)) return null;
  if (stored !== null && (stored.status === 'done' || comparePositions(stored.lastPosition, event.position) >= 0)) return null;
  const saga = handler as SagaHandler<unknown>;
  // The handler gets its own copy, so a handler that mutates its input cannot corrupt what is stored.
  const state: unknown = stored === null ? saga.initialState() : structuredClone(stored.state);
  const reaction = await saga.handle(state, event, { instanceId, now: new Date(now) });
  const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : null;
  const trace = traceCarrierOf(event.metadata);
  const at = new Date(now).toISOString();
  const instance: SagaInstanceDocument = {
    _id: instanceKey(options.name, instanceId),
    saga: options.name,
    instanceId,
    version: options.version,
    status: reaction.done === true ? 'done' : 'active',
    state: reaction.state,
    lastPosition: event.position,
    startedAt: stored?.startedAt ?? at,
    updatedAt: at,
  };
  const outbox = (reaction.commands ?? []).map((sent, index): OutboxDocument => {
    const command = storedSagaCommand(options.name, sent, hasFactory(options, sent.type));
    return {
      _id: sagaCommandId(options.name, instanceId, event.position, index),
      saga: options.name,
      instanceId,
      command,
      correlationId,
      causationId: event.id,
      ...(trace === null ? {} : { trace }),
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      rejection: null,
    };
  });
  const scheduled = reaction.done === true ? [] : (reaction.schedule ?? []).map((request) => deadlineDocument(options, instanceId, request, event, correlationId, now));
  const cancelled = (reaction.cancel ?? []).map((key) => deadlineKey(options.name, instanceId, key));
  return { instance, outbox, scheduled, cancelled, cancelAll: reaction.done === true };
}

function deadlineDocument(
  options: SagaOptions,
  instanceId: string,
  request: DeadlineRequest,
  event: RecordedEvent,
  correlationId: string | null,
  now: number,
): DeadlineDocument {
  const dueAt = 'at' in request ? new Date(request.at).getTime() : now + request.after;
  if (typeof request.key !== 'string' || request.key === '' || !Number.isFinite(dueAt)) {
    throw new StrataError('INVALID_DEADLINE', `Saga '${options.name}' scheduled a deadline without a key or a valid time: ${JSON.stringify(request)}.`);
  }
  const action = 'command' in request ? { command: storedSagaCommand(options.name, request.command, hasFactory(options, request.command.type)) } : { event: request.event };
  return {
    _id: deadlineKey(options.name, instanceId, request.key),
    saga: options.name,
    instanceId,
    key: request.key,
    dueAt,
    scheduledBy: event.position,
    correlationId,
    action,
  };
}

function hasFactory(options: SagaOptions, type: string): boolean {
  return options.commands !== undefined && Object.hasOwn(options.commands, type);
}
