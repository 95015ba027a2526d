import { BACKWARDS, END, type ReadStreamOptions } from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '@strata/core';

/** The first page of a lookup: a repeat is almost always among a stream's newest events. */
const FIRST_PAGE = 8;
const LARGEST_PAGE = 512;

/** What a search of a stream for event ids found, and the stream's revision when it began (-1: no events). */
export interface EventIdLookup {
  readonly found: Map<string, RecordedEvent>;
  readonly current: bigint;
}

/**
 * Searches a stream for event ids, newest first, in pages that grow from a few events, until
 * the first id is found (the others, written with it, are newer) or the stream's start is
 * reached. `slice` reads one page of the stream, [] when it has no events.
 */
export async function lookUpEventIds(slice: (options: ReadStreamOptions) => Promise<RecordedEvent[]>, ids: readonly string[]): Promise<EventIdLookup> {
  const wanted = new Set(ids);
  const found = new Map<string, RecordedEvent>();
  let current: bigint | null = null;
  let from: bigint | typeof END = END;
  for (let size = FIRST_PAGE; ; size = Math.min(size * 8, LARGEST_PAGE)) {
    const page = await slice({ fromRevision: from, maxCount: size, direction: BACKWARDS });
    current ??= page[0]?.revision ?? -1n;
    for (const event of page) if (wanted.has(event.id)) found.set(event.id, event);
    const oldest = page[page.length - 1];
    if (found.has(ids[0] as string) || !oldest || page.length < size || oldest.revision === 0n) return { found, current };
    from = oldest.revision - 1n;
  }
}
