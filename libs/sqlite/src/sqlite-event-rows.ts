import { randomUUID } from 'node:crypto';
import { type EventToAppend, type RecordedEvent } from '@strata/core';
import { eventChecksum, EventIntegrityError, unreadableEvent, verifiedEvent, positionFromSequence, type StoredEventRef } from '@strata/core/adapter';
import type { EventRow } from './event-store-schema';

/** An event serialised for insert. */
export interface EventRowInput {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  /** Null when the store writes no checksums (benchmarks' baseline). */
  readonly checksum: number | null;
}

/** Serialises events for insert; metadata shared by a command's events is serialised once. */
export function toRows(streamId: string, events: readonly EventToAppend[], checksums: boolean): EventRowInput[] {
  let lastMetadata: unknown = undefined;
  let lastText = '{}';
  return events.map((event) => {
    const metadata = event.metadata ?? {};
    if (metadata !== lastMetadata) {
      lastMetadata = metadata;
      lastText = JSON.stringify(metadata);
    }
    const row = { id: event.id ?? randomUUID(), streamId, type: event.type, data: JSON.stringify(event.data), metadata: lastText };
    return { ...row, checksum: checksums ? eventChecksum(row) : null };
  });
}

export interface RefRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly position: number;
}

export function toRef(row: RefRow | undefined): StoredEventRef | undefined {
  if (!row) return undefined;
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: positionFromSequence(row.position),
  };
}

/**
 * The recorded event a row holds, verified against its checksum unless `verify` is off (core's
 * `verifiedEvent`, with the stored text itself checksummed: nothing is re-serialised). A row that
 * fails its checksum or does not parse throws `EventIntegrityError`, or with `includeDamaged`
 * comes back marked (`damageOf`).
 */
export function toRecorded(row: EventRow, verify: boolean, includeDamaged = false): RecordedEvent {
  let event: RecordedEvent;
  try {
    event = parsed(row);
  } catch (error) {
    if (!includeDamaged || !(error instanceof EventIntegrityError)) throw error;
    // Unparseable text has no event to mark: a stand-in keeps its place in the log.
    return unreadableEvent(error, row.event_id, new Date(row.created_at));
  }
  return verify ? verifiedEvent(event, row, row.checksum, includeDamaged) : event;
}

function located(row: EventRow): { position: ReturnType<typeof positionFromSequence>; streamId: string; revision: bigint; type: string } {
  return { position: positionFromSequence(row.position), streamId: row.stream_id, revision: BigInt(row.revision), type: row.type };
}

function parsed(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: parseJson(row, row.data) as Record<string, unknown>,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: positionFromSequence(row.position),
    metadata: parseJson(row, row.metadata) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
  };
}

function parseJson(row: EventRow, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventIntegrityError({ ...located(row), reason: 'its data or metadata is not valid JSON' }, { cause: error });
  }
}
