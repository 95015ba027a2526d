import type { DocumentCollection, DocumentStore, DocumentTransaction } from '../documents/document-store';
import type { RecordedEvent } from '../events/event';
import type { Position } from '../event-store/position';
import { StrataError } from '../errors/strata-error';

/** The system collection of events that a subscription gave up on, or holds behind one it gave up on. */
export const PARKED_COLLECTION = 'strata_parked';

/** An event a projection (or saga) could not apply, kept with the error for an operator. */
export interface ParkedEvent {
  /** `<subscription>@<position>`: parking the same event twice keeps one record. */
  readonly _id: string;
  readonly subscription: string;
  readonly position: Position;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly revision: string;
  /**
   * The ordering key: the stream id unless the projection declares `partitionKey`. Once an event
   * of a partition is parked, later ones of that partition are parked behind it, in order.
   * Records written before partitions existed have none; their stream id stands in.
   */
  readonly partition?: string;
  /** True while the event waits behind an earlier parked event of its partition, never attempted. */
  readonly held?: boolean;
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: string;
}

/** The parked events of one partition of one subscription, oldest first: a retry applies them in this order. */
export interface ParkedSequence {
  readonly subscription: string;
  readonly partition: string;
  readonly events: readonly ParkedEvent[];
}

/** The ordering key of a parked record (its stream id when it was parked before partitions existed). */
export function partitionOfRecord(record: ParkedEvent): string {
  return record.partition ?? record.streamId;
}

/** Parked events of all subscriptions, kept in the document store beside the checkpoints. */
export class ParkedEvents {
  constructor(private readonly store: DocumentStore) {}

  /** Records a parked event inside the unit of work that moves the checkpoint past it. */
  static async park(tx: DocumentTransaction, subscription: string, event: RecordedEvent, partition: string, error: unknown, attempts: number): Promise<ParkedEvent> {
    return ParkedEvents.write(tx, subscription, event, partition, { error: describeError(error), attempts, held: false });
  }

  /** Records an event held behind an earlier parked event of its partition, in the unit of work that moves the checkpoint past it. */
  static async hold(tx: DocumentTransaction, subscription: string, event: RecordedEvent, partition: string): Promise<ParkedEvent> {
    const error = `Held behind an earlier parked event of '${partition}'; 'parked retry' applies them in order.`;
    return ParkedEvents.write(tx, subscription, event, partition, { error, attempts: 0, held: true });
  }

  /**
   * A runner's hold: as `holdAll`, but only the lease holder parks, and an operator may have
   * retried or skipped a sequence away since the runner read them: then it fails with
   * `PARKED_CHANGED`, and the runner reloads instead of holding an event behind nothing.
   */
  static async holdBehindParked(tx: DocumentTransaction, subscription: string, hold: readonly RecordedEvent[], partitionOf: (event: RecordedEvent) => string): Promise<void> {
    if (hold.length === 0) return;
    const partitions = new Set(hold.map(partitionOf));
    const parked = await ParkedEvents.partitionsParked(tx, subscription, partitions);
    const gone = [...partitions].filter((partition) => !parked.has(partition));
    if (gone.length > 0) throw new StrataError('PARKED_CHANGED', `The parked events of '${gone.join("', '")}' in '${subscription}' were retried or skipped elsewhere; the runner reloads them.`);
    await ParkedEvents.holdAll(tx, subscription, hold, partitionOf);
  }

  /** Records `events` as held behind their partitions' parked events, in log order. */
  static async holdAll(tx: DocumentTransaction, subscription: string, events: readonly RecordedEvent[], partitionOf: (event: RecordedEvent) => string): Promise<void> {
    for (const event of events) await ParkedEvents.hold(tx, subscription, event, partitionOf(event));
  }

  /**
   * Which of `partitions` still have parked events in a subscription, asked inside a unit of
   * work: what a runner remembers may be stale once an operator retried or skipped elsewhere.
   */
  static async partitionsParked(tx: DocumentTransaction, subscription: string, partitions: Iterable<string>): Promise<Set<string>> {
    const wanted = [...new Set(partitions)];
    // Records parked before partitions existed are found by their stream, which stood in for it.
    const filter = { subscription, $or: [{ partition: { $in: wanted } }, { partition: { $exists: false }, streamId: { $in: wanted } }] };
    const records = await tx.collection<ParkedEvent>(PARKED_COLLECTION).find(filter, { limit: Number.MAX_SAFE_INTEGER });
    return new Set(records.map(partitionOfRecord));
  }

  /**
   * Replaces `to`'s parked events with `from`'s, inside the unit of work that swaps a rebuilt
   * read model in: what the old model failed on no longer applies, what the rebuild failed on does.
   */
  static async adopt(tx: DocumentTransaction, from: string, to: string): Promise<void> {
    const parked = tx.collection<ParkedEvent>(PARKED_COLLECTION);
    await parked.deleteMany({ subscription: to });
    for (const record of await parkedOf(parked, from)) {
      await parked.deleteOne({ _id: record._id });
      await parked.insertOne({ ...record, _id: parkedId(to, record.position), subscription: to });
    }
  }

  private static async write(
    tx: DocumentTransaction,
    subscription: string,
    event: RecordedEvent,
    partition: string,
    outcome: Pick<ParkedEvent, 'error' | 'attempts' | 'held'>,
  ): Promise<ParkedEvent> {
    const parked: ParkedEvent = {
      _id: parkedId(subscription, event.position),
      subscription,
      position: event.position,
      eventId: event.id,
      eventType: event.type,
      streamId: event.streamId,
      revision: event.revision.toString(),
      partition,
      ...outcome,
      parkedAt: new Date().toISOString(),
    };
    await tx.collection<ParkedEvent>(PARKED_COLLECTION).replaceOne({ _id: parked._id }, parked, { upsert: true });
    return parked;
  }

  /** Forgets every parked event of a subscription, e.g. those of an abandoned replay. */
  async discard(subscription: string): Promise<void> {
    await this.store.collection<ParkedEvent>(PARKED_COLLECTION).deleteMany({ subscription });
  }

  /** Parked events of a subscription, those held behind others included. */
  async count(subscription: string): Promise<number> {
    return this.store.collection<ParkedEvent>(PARKED_COLLECTION).countDocuments({ subscription });
  }

  /** The most recently parked event of a subscription that failed (not one held behind it), or undefined. */
  async latest(subscription: string): Promise<ParkedEvent | undefined> {
    const [newest] = await this.store.collection<ParkedEvent>(PARKED_COLLECTION).find({ subscription, held: { $ne: true } }, { sort: { position: -1 }, limit: 1 });
    return newest;
  }

  /** The partitions of a subscription that have parked events: their later events must wait. */
  async heldPartitions(subscription: string): Promise<Set<string>> {
    return new Set((await parkedOf(this.store.collection<ParkedEvent>(PARKED_COLLECTION), subscription)).map(partitionOfRecord));
  }

  /** Parked events oldest first, of one subscription or of all. */
  async list(subscription?: string, limit = 1000): Promise<ParkedEvent[]> {
    const filter = subscription === undefined ? {} : { subscription };
    return this.store.collection<ParkedEvent>(PARKED_COLLECTION).find(filter, { sort: { position: 1 }, limit });
  }

  /** Parked events grouped into sequences (one per subscription and partition), each oldest first, the oldest head first. */
  async sequences(subscription?: string, limit = 1000): Promise<ParkedSequence[]> {
    return groupSequences(await this.list(subscription, limit));
  }

  /** The sequence a record belongs to, oldest first. */
  async sequenceOf(record: ParkedEvent): Promise<ParkedEvent[]> {
    const all = await parkedOf(this.store.collection<ParkedEvent>(PARKED_COLLECTION), record.subscription);
    const partition = partitionOfRecord(record);
    return all.filter((candidate) => partitionOfRecord(candidate) === partition);
  }
}

/** Groups records listed oldest first into sequences by subscription and partition, keeping that order. */
export function groupSequences(records: readonly ParkedEvent[]): ParkedSequence[] {
  const sequences = new Map<string, { subscription: string; partition: string; events: ParkedEvent[] }>();
  for (const record of records) {
    const partition = partitionOfRecord(record);
    const key = JSON.stringify([record.subscription, partition]);
    let sequence = sequences.get(key);
    if (!sequence) sequences.set(key, (sequence = { subscription: record.subscription, partition, events: [] }));
    sequence.events.push(record);
  }
  return [...sequences.values()];
}

/** Every parked record of a subscription, oldest first; sequences are short-lived, so all are read. */
function parkedOf(parked: DocumentCollection<ParkedEvent>, subscription: string): Promise<ParkedEvent[]> {
  return parked.find({ subscription }, { sort: { position: 1 }, limit: Number.MAX_SAFE_INTEGER });
}

/** A parked event's id: parking the same event for the same subscription twice keeps one record. */
export function parkedId(subscription: string, position: Position): string {
  return `${subscription}@${position}`;
}

/** The text kept for a handler's error: its cause when it wraps one, cut to 2000 characters. */
export function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.slice(0, 2000);
}
