import type { Position } from '../event-store/position';
import type { Event } from '../events/event';
import type { SagaCommand } from './saga-messages';

/** System collections where sagas keep their instances, outbox and deadlines. */
export const SAGA_INSTANCES = 'strata_saga_instances';
export const SAGA_OUTBOX = 'strata_saga_outbox';
export const SAGA_DEADLINES = 'strata_saga_deadlines';

/** One saga instance: its state, and the last event position it has taken in. */
export interface SagaInstanceDocument {
  /** `<saga>/<instanceId>` */
  readonly _id: string;
  readonly saga: string;
  readonly instanceId: string;
  readonly version: number;
  readonly status: 'active' | 'done';
  readonly state: unknown;
  readonly lastPosition: Position;
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** A command waiting to be dispatched; removed once the bus has executed it or the saga has been told it failed. */
export interface OutboxDocument {
  /** The command id: derived from the instance, the triggering position and the index, so it is the same on every retry. */
  readonly _id: string;
  readonly saga: string;
  readonly instanceId: string;
  readonly command: SagaCommand;
  readonly correlationId: string | null;
  readonly causationId: string;
  /** The triggering event's trace context (`traceparent`…), so the dispatch joins its trace; absent without tracing. */
  readonly trace?: Readonly<Record<string, string>> | null;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  /** Set once the command was refused: the failure is then delivered, and the command never sent again. */
  readonly rejection: { readonly code: string; readonly message: string } | null;
}

/** A deadline waiting for its time. */
export interface DeadlineDocument {
  /** `<saga>/<instanceId>/<key>` */
  readonly _id: string;
  readonly saga: string;
  readonly instanceId: string;
  readonly key: string;
  readonly dueAt: number;
  /** The position of the event that scheduled it: with `_id` it identifies this scheduling, for fire-once ids. */
  readonly scheduledBy: Position;
  readonly correlationId: string | null;
  readonly action: { readonly command: SagaCommand } | { readonly event: Event };
}

export function instanceKey(saga: string, instanceId: string): string {
  return `${saga}/${instanceId}`;
}

export function deadlineKey(saga: string, instanceId: string, key: string): string {
  return `${saga}/${instanceId}/${key}`;
}

/** The stream where the engine delivers a saga instance's own messages (failures, timeouts). */
export function sagaStreamId(saga: string, instanceId: string): string {
  return `saga.${saga}-${instanceId}`;
}

/** The instance a saga stream belongs to, or null when the stream is not this saga's. */
export function instanceOfSagaStream(saga: string, streamId: string): string | null {
  const prefix = `saga.${saga}-`;
  return streamId.startsWith(prefix) ? streamId.slice(prefix.length) : null;
}
