import type { AllStreamRecordedEvent, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { StrataError, type RecordedEvent } from '@strata/core';
import { type EventMetadata } from '@strata/core/adapter';
import { encodePosition } from './kurrentdb-position';

const utf8 = new TextDecoder();

/**
 * A server event as core's `RecordedEvent`, under the Strata stream id it belongs to. An event
 * whose data or metadata is not a JSON object (another application's bytes, or JSON flags that
 * lie, which the client hands over as a string) is `INVALID_EVENT`.
 */
export function toRecordedEvent(event: KurrentRecordedEvent | AllStreamRecordedEvent, streamId: string): RecordedEvent {
  if (!event.position) {
    throw new StrataError('EVENT_STORE_UNAVAILABLE', `KurrentDB returned event ${event.id} of '${event.streamId}' without a log position; use KurrentDB/EventStoreDB 20 or newer.`);
  }
  return {
    id: event.id,
    type: event.type,
    data: asObject(event.data, event.id, 'data') as RecordedEvent['data'],
    streamId,
    revision: event.revision,
    position: encodePosition(event.position),
    metadata: asObject(event.metadata ?? {}, event.id, 'metadata') as EventMetadata,
    createdAt: event.created,
  };
}

/** JSON events arrive parsed; an event written as bytes by another tool is parsed here. */
function asObject(value: unknown, id: string, part: string): unknown {
  let parsed = value;
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    try {
      parsed = JSON.parse(utf8.decode(value)) as unknown;
    } catch {
      parsed = undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StrataError('INVALID_EVENT', `Event ${id} in KurrentDB has ${part} that is not a JSON object; Strata stores events as JSON objects.`);
  }
  return parsed;
}
