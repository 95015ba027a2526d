import type { EventStore, ReadAllPage } from '../event-store/event-store';
import { comparePositions, type Position } from '../event-store/position';
import { StrataError } from '../errors/strata-error';
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
 *
 * A store may filter after cutting a page (KurrentDB with a namespace does), so a page can
 * hold no event yet not be the end of the log. Such a page is read past, page after page, until
 * an event or the end turns up: stopping there would read "nothing new" and stall for good.
 */
export async function readBatch(
  events: EventStore,
  checkpoint: Position | null,
  batchSize: number,
  eventTypes: readonly string[] | undefined,
): Promise<LogBatch> {
  // The head is read first: everything up to it has been seen once a page reaches the end.
  const head = await events.headPosition();
  const filter = eventTypes === undefined ? {} : { filter: { eventTypes } };
  let page = await events.readAll({
    ...(checkpoint === null ? {} : { fromPosition: checkpoint }),
    // The page starts at the checkpoint itself (fromPosition is inclusive), so read one more.
    maxCount: checkpoint === null ? batchSize : batchSize + 1,
    ...filter,
    // A damaged event comes back marked, so the batch parks it and goes on past it.
    includeDamaged: true,
  });
  let fresh = after(page, checkpoint);
  while (fresh.length === 0 && page.nextPosition !== null) {
    const from = page.nextPosition;
    // The next page starts at an entry no page has covered yet, so nothing in it is at or before the checkpoint.
    page = await events.readAll({ fromPosition: from, maxCount: batchSize, ...filter, includeDamaged: true });
    if (page.nextPosition !== null && comparePositions(page.nextPosition, from) <= 0) {
      throw new StrataError('INVALID_READ', `The event store answered a page read from ${from} with a next position ${page.nextPosition} that does not advance; its readAll is broken.`);
    }
    fresh = after(page, checkpoint);
  }
  const reachedEnd = page.nextPosition === null;
  let target = fresh[fresh.length - 1]?.position ?? null;
  if (reachedEnd && head !== null && isAfter(head, target) && isAfter(head, checkpoint)) target = head;
  return { events: fresh, target, reachedEnd, head };
}

/** The events of a forwards page after `checkpoint`: only its first ones can be at or before it. */
function after(page: ReadAllPage, checkpoint: Position | null): readonly RecordedEvent[] {
  let skip = 0;
  while (checkpoint !== null && skip < page.events.length && comparePositions((page.events[skip] as RecordedEvent).position, checkpoint) <= 0) skip += 1;
  return skip === 0 ? page.events : page.events.slice(skip);
}

function isAfter(position: Position, other: Position | null): boolean {
  return other === null || comparePositions(position, other) > 0;
}
