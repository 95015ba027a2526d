import type { EventToAppend, RecordedEvent } from '../events/event';

/** An event for the contract suites, with fixed metadata and an optional id. */
export const event = (type: string, data: Record<string, unknown> = {}, id?: string): EventToAppend => ({
  type,
  data,
  ...(id === undefined ? {} : { id }),
  metadata: { correlationId: 'c-1' },
});

/** Every event an async iterable yields, in order. */
export async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}
