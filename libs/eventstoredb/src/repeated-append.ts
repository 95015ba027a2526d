import { type AppendResult, type ExpectedRevision, type RecordedEvent } from '@strata/core';
import { resolveRepeatedAppend, type StoredEventRef } from '@strata/core/adapter';

/** How far back in a stream an append looks for its own event ids. */
export const REPEAT_WINDOW = 100;

/**
 * Decides, from a stream's most recent events (newest first), whether an append whose events
 * all carry ids repeats an earlier one: the first result when it is the same append, a
 * `DuplicateEventIdError` when only some ids match, a conflict when the revision does not
 * hold, and undefined when none of the ids is there.
 */
export function findRepeat(
  streamId: string,
  expected: ExpectedRevision,
  ids: readonly string[],
  recentNewestFirst: readonly RecordedEvent[],
): AppendResult | undefined {
  const byId = new Map<string, StoredEventRef>(recentNewestFirst.map((event) => [event.id, event]));
  const current = recentNewestFirst[0]?.revision ?? -1n;
  return resolveRepeatedAppend(streamId, expected, ids, ids.map((id) => byId.get(id)), current);
}
