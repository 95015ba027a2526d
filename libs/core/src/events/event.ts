import type { Position } from '../event-store/position';

/** A domain event: a stable string `type` and a plain, JSON-serialisable `data` object. */
export interface Event<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
}

/** Metadata recorded with every event. */
export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly commandId?: string;
  readonly schemaVersion?: number;
  readonly user?: string;
  readonly [key: string]: unknown;
}

/** An event on its way into a stream. Without an id, the store generates one. */
export interface EventToAppend<E extends Event = Event> {
  readonly id?: string;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata?: EventMetadata;
}

/** An event as stored: where it is, when it was written and why. */
export interface RecordedEvent<E extends Event = Event> {
  readonly id: string;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly metadata: EventMetadata;
  readonly createdAt: Date;
}
