import type { Event, RecordedEvent } from '../events/event';
import type { EventIntegrityError } from '../errors/storage-errors';

const DAMAGE = Symbol.for('strata.event.damage');
const UNCHECKED = Symbol.for('strata.event.unchecked');

/**
 * The event as `readAll({ includeDamaged: true })` returns a row that failed its integrity
 * check: what could be read of it, carrying the error. Stores call this; readers ask `damageOf`.
 */
export function markDamaged<E extends Event>(event: RecordedEvent<E>, error: EventIntegrityError): RecordedEvent<E> {
  // Not enumerable, so serialisation (parked events, CLI output) shows the event as it was read.
  return Object.defineProperty({ ...event }, DAMAGE, { value: error, enumerable: false });
}

/** The integrity error of an event read with `includeDamaged`, or undefined for a sound one. */
export function damageOf(event: RecordedEvent): EventIntegrityError | undefined {
  return (event as unknown as Record<symbol, EventIntegrityError | undefined>)[DAMAGE];
}

/** A stand-in for an event whose row could not even be parsed: its place in the log, no data. */
export function unreadableEvent(error: EventIntegrityError, id: string, createdAt: Date): RecordedEvent {
  const { damage } = error;
  return markDamaged({ id, type: damage.type, data: {}, streamId: damage.streamId, revision: damage.revision, position: damage.position, metadata: {}, createdAt }, error);
}

/** The event of a row stored without a checksum (written before checksums existed): read, but not verified. */
export function markUnchecked<E extends Event>(event: RecordedEvent<E>): RecordedEvent<E> {
  return Object.defineProperty({ ...event }, UNCHECKED, { value: true, enumerable: false });
}

/** Whether the event came from a row with no checksum to verify (`verify` counts them). */
export function isUnchecked(event: RecordedEvent): boolean {
  return (event as unknown as Record<symbol, boolean | undefined>)[UNCHECKED] === true;
}
