import type { RecordedEvent } from '../events/event';

/** A batch split by parking order: what to apply, and what waits behind a parked event. */
export interface OrderedBatch {
  readonly apply: readonly RecordedEvent[];
  readonly hold: readonly RecordedEvent[];
}

/**
 * Which partitions have a parked event, and so hold their later events behind it. A
 * partition is the stream id unless the projection declares a `partitionKey`.
 */
export class ParkingOrder {
  private readonly parked = new Set<string>();

  constructor(private readonly key?: (event: RecordedEvent) => string) {}

  /** The event's ordering key; its stream id when the key function throws or returns no string. */
  partitionOf(event: RecordedEvent): string {
    if (!this.key) return event.streamId;
    try {
      const key = this.key(event);
      return typeof key === 'string' && key !== '' ? key : event.streamId;
    } catch {
      // A damaged event's data may be anything: it still has a stream to be held by.
      return event.streamId;
    }
  }

  /** Whether events of this partition wait behind a parked one. */
  holds(partition: string): boolean {
    return this.parked.has(partition);
  }

  /** The partitions held now. */
  get heldPartitions(): readonly string[] {
    return [...this.parked];
  }

  /** Marks a partition as held: its event was just parked. */
  hold(partition: string): void {
    this.parked.add(partition);
  }

  /** Replaces what is held with what the store says (on taking the lease, after an operator's retry or skip). */
  reset(partitions: Iterable<string>): void {
    this.parked.clear();
    for (const partition of partitions) this.parked.add(partition);
  }

  /** Splits events in log order into those to apply and those of held partitions. */
  split(events: readonly RecordedEvent[]): OrderedBatch {
    if (this.parked.size === 0) return { apply: events, hold: [] };
    const apply: RecordedEvent[] = [];
    const hold: RecordedEvent[] = [];
    for (const event of events) (this.parked.has(this.partitionOf(event)) ? hold : apply).push(event);
    return { apply, hold };
  }
}
