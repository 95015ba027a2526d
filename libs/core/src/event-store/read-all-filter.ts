import { StrataError } from '../errors/strata-error';
import { DEFAULT_PAGE_SIZE, type ReadAllFilter, type ReadAllOptions } from './event-store';
import { sequenceFromPosition } from './position';

/** Whether an event passes a `readAll` filter. */
export function matchesFilter(filter: ReadAllFilter | undefined, type: string, streamId: string): boolean {
  if (!filter) return true;
  if ('eventTypes' in filter) return filter.eventTypes.includes(type);
  return filter.streamPrefixes.some((prefix) => streamId.startsWith(prefix));
}

/** Where a sequence-numbered `readAll` page starts, which way it goes and how long it is. */
export function pageBounds(
  options: ReadAllOptions,
  head: bigint,
): { backwards: boolean; maxCount: number; from: bigint } {
  const maxCount = options.maxCount ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(maxCount) || maxCount < 1) {
    throw new StrataError('INVALID_READ', `maxCount must be a positive integer; got ${String(maxCount)}.`);
  }
  const backwards = options.direction === 'backwards';
  let from = options.fromPosition === undefined ? (backwards ? head : 1n) : sequenceFromPosition(options.fromPosition);
  if (backwards && from > head) from = head;
  if (!backwards && from < 1n) from = 1n;
  return { backwards, maxCount, from };
}
