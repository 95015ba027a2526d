import type { EventStore } from '../event-store/event-store';
import { comparePositions, type Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';

/** The next events after a checkpoint, and how far a commit of them may move the checkpoint. */
export interface LogBatch {
  readonly events: readonly RecordedEvent[];
  /** Where the checkpoint may move once `events` are applied; null when there is nothing new. */
  readonly target: Position | null;
  /** Whether the read reached the end of the log. */
  readonly reachedEnd: boolean;
  /** The newest position in the log when the batch was read. */
  readonly head: Position | null;
}

/**
 * Reads up to `batchSize` events after `checkpoint`, of `eventTypes` when given. Once a page
 * reaches the end of the log, the target moves to the head read before it, past events the
 * filter left out, so a wait for their position ends.
 */
export async function readBatch(
  events: EventStore,
  checkpoint: Position | null,
  batchSize: number,
  eventTypes: readonly string[] | undefined,
): Promise<LogBatch> {
  // The head is read first: everything up to it has been seen once a page reaches the end.
  const head = await events.headPosition();
  const page = await events.readAll({
    ...(checkpoint === null ? {} : { fromPosition: checkpoint }),
    // The page starts at the checkpoint itself (fromPosition is inclusive), so read one more.
    maxCount: checkpoint === null ? batchSize : batchSize + 1,
    ...(eventTypes === undefined ? {} : { filter: { eventTypes } }),
    // A damaged event comes back marked, so the batch parks it and goes on past it.
    includeDamaged: true,
  });
  // A page runs forwards from the checkpoint, so only its first events can be at or before it.
  let skip = 0;
  while (checkpoint !== null && skip < page.events.length && comparePositions((page.events[skip] as RecordedEvent).position, checkpoint) <= 0) skip += 1;
  const fresh = skip === 0 ? page.events : page.events.slice(skip);
  const reachedEnd = page.nextPosition === null;
  let target = fresh[fresh.length - 1]?.position ?? null;
  if (reachedEnd && head !== null && isAfter(head, target) && isAfter(head, checkpoint)) target = head;
  return { events: fresh, target, reachedEnd, head };
}

function isAfter(position: Position, other: Position | null): boolean {
  return other === null || comparePositions(position, other) > 0;
}
