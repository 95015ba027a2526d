import { randomUUID } from 'node:crypto';
import type { EventToAppend, RecordedEvent } from '@strata/core';
import { eventChecksum, verifiedEvent, positionFromSequence, type StoredEventRef } from '@strata/core/adapter';
import type { EventRow } from './event-store-schema';
import { jsonbOrderedText } from './jsonb-text';

/** An append's columns as arrays, one element per event. */
export interface Columns {
  readonly ids: string[];
  readonly types: string[];
  readonly data: string[];
  readonly metadata: string[];
  /** Null elements when the store writes no checksums (benchmarks' baseline). */
  readonly checksums: (string | null)[];
}

/**
 * The append's columns; metadata shared by a command's events is serialised once. Data and
 * metadata are sent in jsonb's key order and checksummed in that form (`jsonbOrderedText`), the
 * form a read rebuilds with a plain `JSON.stringify`.
 */
export function toColumns(streamId: string, events: readonly EventToAppend[], checksums: boolean): Columns {
  const columns: Columns = { ids: [], types: [], data: [], metadata: [], checksums: [] };
  let lastMetadata: unknown = undefined;
  let lastText = '{}';
  for (const event of events) {
    const metadata = event.metadata ?? {};
    if (metadata !== lastMetadata) {
      lastMetadata = metadata;
      lastText = jsonbOrderedText(metadata);
    }
    const row = { id: event.id ?? randomUUID(), streamId, type: event.type, data: jsonbOrderedText(event.data), metadata: lastText };
    columns.ids.push(row.id);
    columns.types.push(row.type);
    columns.data.push(row.data);
    columns.metadata.push(row.metadata);
    columns.checksums.push(checksums ? String(eventChecksum(row)) : null);
  }
  return columns;
}

/**
 * The recorded event a row holds, verified against its checksum (core's `verifiedEvent`) unless
 * `verify` is off: a mismatch throws `EventIntegrityError`, or with `includeDamaged` comes back marked.
 */
export function toRecorded(row: EventRow, verify: boolean, includeDamaged = false): RecordedEvent {
  const event: RecordedEvent = {
    id: row.event_id,
    type: row.type,
    data: row.data,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: positionFromSequence(BigInt(row.position)),
    metadata: row.metadata,
    createdAt: row.created_at,
  };
  if (!verify) return event;
  const stored = row.checksum === null ? null : Number(row.checksum);
  return verifiedEvent(event, { data: JSON.stringify(row.data), metadata: JSON.stringify(row.metadata) }, stored, includeDamaged);
}

export interface RefRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: number | string;
  readonly position: number | string;
}

export function toRef(row: RefRow): StoredEventRef {
  return { id: row.event_id, streamId: row.stream_id, revision: BigInt(row.revision), position: positionFromSequence(BigInt(row.position)) };
}
