import type { RecordedEvent } from '@strata/core';

/** One event as a JSON line for `events tail`: where it is, what it is, and its payload. */
export function eventLine(event: RecordedEvent): string {
  const revision = Number(event.revision);
  return JSON.stringify({
    position: event.position,
    streamId: event.streamId,
    revision: Number.isSafeInteger(revision) ? revision : event.revision.toString(),
    type: event.type,
    id: event.id,
    createdAt: event.createdAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  });
}
