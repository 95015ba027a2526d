import { crc32 } from 'node:zlib';
import { EventIntegrityError } from '../errors/storage-errors';
import type { Event, RecordedEvent } from '../events/event';
import { markDamaged, markUnchecked } from './damaged-events';
import type { Position } from './position';

/** The stored fields a checksum covers, as the store keeps them (data and metadata as JSON text). */
export interface ChecksummedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
  /** The data's JSON text exactly as stored. */
  readonly data: string;
  /** The metadata's JSON text exactly as stored. */
  readonly metadata: string;
}

/** Where a read found the row, for the error that names it. */
export interface StoredEventLocation {
  readonly position: Position;
  readonly revision: bigint;
}

/**
 * The CRC-32 (node's zlib) of an event's id, stream, type, data and metadata text, an unsigned
 * 32-bit integer. CRC-32 catches every burst of up to 32 flipped bits and all but one in 2^32
 * other changes, at a fraction of a SHA-256's cost; it guards against damage, not against an
 * attacker who can write the file. A store whose database rewrites JSON (PostgreSQL's jsonb)
 * checksums a text it can rebuild from what it reads, not the text it was given.
 */
export function eventChecksum(event: ChecksummedEvent): number {
  return checksumOf(event.id, event.streamId, event.type, event.data, event.metadata);
}

function checksumOf(id: string, streamId: string, type: string, data: string, metadata: string): number {
  // One string, one native call: the separators keep field boundaries apart.
  return crc32(`${id}\n${streamId}\n${type}\n${data}\n${metadata}`);
}

/**
 * The integrity error for a row whose checksum does not match, else undefined. A null stored
 * checksum marks a legacy row, written before checksums existed: accepted unverified.
 */
export function checksumMismatch(event: ChecksummedEvent & StoredEventLocation, stored: number | null): EventIntegrityError | undefined {
  if (stored === null || eventChecksum(event) === stored) return undefined;
  return mismatchError(event);
}

/** The data and metadata text a stored checksum covers, as a store read it back. */
export interface ChecksummedText {
  readonly data: string;
  readonly metadata: string;
}

/**
 * What a store returns for an event it read with its stored checksum: the event when the checksum
 * matches; marked unchecked (`isUnchecked`) when the row has none (written before checksums); on a
 * mismatch, the event marked damaged when `includeDamaged`, else an `EventIntegrityError` thrown.
 * Every store verifies through this, so they agree on what a read of a changed byte does.
 */
export function verifiedEvent<E extends Event>(event: RecordedEvent<E>, text: ChecksummedText, stored: number | null, includeDamaged: boolean): RecordedEvent<E> {
  if (stored === null) return markUnchecked(event);
  // Hot on every read (a replay verifies each event): no objects built unless the sums differ.
  if (checksumOf(event.id, event.streamId, event.type, text.data, text.metadata) === stored) return event;
  const error = mismatchError(event);
  if (includeDamaged) return markDamaged(event, error);
  throw error;
}

function mismatchError(event: { position: Position; streamId: string; revision: bigint; type: string }): EventIntegrityError {
  return new EventIntegrityError({
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    reason: 'its checksum does not match its data and metadata (a changed byte)',
  });
}
