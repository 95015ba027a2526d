import type { AllStreamRecordedEvent, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { StrataError, type EventToAppend, type RecordedEvent } from '@strata/core';
import { eventChecksum, verifiedEvent } from '@strata/core/adapter';
import { encodePosition } from './kurrentdb-position';

const utf8 = new TextDecoder();

/** The metadata key that carries an event's CRC-32 in KurrentDB; read back, it is taken out of the metadata. */
export const CHECKSUM_KEY = 'strataChecksum';

/**
 * The metadata to store for `event`: its own, plus the CRC-32 (core's `eventChecksum`) of its id,
 * Strata stream id, type, and data and metadata as the client serialises them. KurrentDB keeps
 * those bytes as sent, so a read's `JSON.stringify` of what the client parsed gives them again.
 */
export function checksummedMetadata(streamId: string, id: string, event: EventToAppend): Record<string, unknown> {
  const metadata = { ...event.metadata };
  const sum = eventChecksum({ id, streamId, type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(metadata) });
  return { ...metadata, [CHECKSUM_KEY]: sum };
}

/**
 * A server event as core's `RecordedEvent`, under the Strata stream id it belongs to, verified
 * against the checksum in its metadata (core's `verifiedEvent`: a mismatch throws
 * `EventIntegrityError`, or with `includeDamaged` comes back marked; an event without one, written
 * before checksums or by another tool, reads as unchecked). An event whose data or metadata is not
 * a JSON object (another application's bytes, or JSON flags that lie, which the client hands over
 * as a string) is `INVALID_EVENT`.
 */
export function toRecordedEvent(event: KurrentRecordedEvent | AllStreamRecordedEvent, streamId: string, includeDamaged = false): RecordedEvent {
  if (!event.position) {
    throw new StrataError('EVENT_STORE_UNAVAILABLE', `KurrentDB returned event ${event.id} of '${event.streamId}' without a log position; use KurrentDB/EventStoreDB 20 or newer.`);
  }
  const { [CHECKSUM_KEY]: sum, ...metadata } = asObject(event.metadata ?? {}, event.id, 'metadata') as Record<string, unknown>;
  const recorded: RecordedEvent = {
    id: event.id,
    type: event.type,
    data: asObject(event.data, event.id, 'data') as RecordedEvent['data'],
    streamId,
    revision: event.revision,
    position: encodePosition(event.position),
    metadata: metadata,
    createdAt: event.created,
  };
  const stored = typeof sum === 'number' ? sum : null;
  return verifiedEvent(recorded, { data: JSON.stringify(recorded.data), metadata: JSON.stringify(metadata) }, stored, includeDamaged);
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
