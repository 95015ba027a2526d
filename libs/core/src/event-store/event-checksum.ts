import { crc32 } from 'node:zlib';
import { EventIntegrityError } from '../errors/storage-errors';
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
 * passes `canonicalJson` of the parsed value instead of the text it was given.
 */
export function eventChecksum(event: ChecksummedEvent): number {
  // One string, one native call: the separators keep field boundaries apart.
  return crc32(`${event.id}\n${event.streamId}\n${event.type}\n${event.data}\n${event.metadata}`);
}

/**
 * The integrity error for a row whose checksum does not match, else undefined. A null stored
 * checksum marks a legacy row, written before checksums existed: accepted unverified.
 */
export function checksumMismatch(event: ChecksummedEvent & StoredEventLocation, stored: number | null): EventIntegrityError | undefined {
  if (stored === null || eventChecksum(event) === stored) return undefined;
  return new EventIntegrityError({
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    reason: 'its checksum does not match its data and metadata (a changed byte)',
  });
}

/**
 * JSON text with object keys sorted at every depth, for stores whose engine does not keep the
 * text it was given: the same value always yields the same text, hence the same checksum.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, (inner as Record<string, unknown>)[key]]))
      : inner,
  );
}
