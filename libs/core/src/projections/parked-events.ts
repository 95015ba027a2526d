import type { DocumentStore, DocumentTransaction } from '../documents/document-store';
import type { RecordedEvent } from '../events/event';
import type { Position } from '../event-store/position';

/** The system collection of events that a subscription gave up on. */
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
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: string;
}

/** Parked events of all subscriptions, kept in the document store beside the checkpoints. */
export class ParkedEvents {
  constructor(private readonly store: DocumentStore) {}

  /** Records a parked event inside the unit of work that moves the checkpoint past it. */
  static async park(tx: DocumentTransaction, subscription: string, event: RecordedEvent, error: unknown, attempts: number): Promise<ParkedEvent> {
    const parked: ParkedEvent = {
      _id: parkedId(subscription, event.position),
      subscription,
      position: event.position,
      eventId: event.id,
      eventType: event.type,
      streamId: event.streamId,
      revision: event.revision.toString(),
      error: describeError(error),
      attempts,
      parkedAt: new Date().toISOString(),
    };
    await tx.collection<ParkedEvent>(PARKED_COLLECTION).replaceOne({ _id: parked._id }, parked, { upsert: true });
    return parked;
  }

  /**
   * Replaces `to`'s parked events with `from`'s, inside the unit of work that swaps a rebuilt
   * read model in: what the old model failed on no longer applies, what the rebuild failed on does.
   */
  static async adopt(tx: DocumentTransaction, from: string, to: string): Promise<void> {
    const parked = tx.collection<ParkedEvent>(PARKED_COLLECTION);
    await parked.deleteMany({ subscription: to });
    for (const record of await parked.find({ subscription: from }, { limit: Number.MAX_SAFE_INTEGER })) {
      await parked.deleteOne({ _id: record._id });
      await parked.insertOne({ ...record, _id: parkedId(to, record.position), subscription: to });
    }
  }

  /** Forgets every parked event of a subscription, e.g. those of an abandoned replay. */
  async discard(subscription: string): Promise<void> {
    await this.store.collection<ParkedEvent>(PARKED_COLLECTION).deleteMany({ subscription });
  }

  async count(subscription: string): Promise<number> {
    return this.store.collection<ParkedEvent>(PARKED_COLLECTION).countDocuments({ subscription });
  }

  /** The most recently parked event of a subscription, or undefined when none is parked. */
  async latest(subscription: string): Promise<ParkedEvent | undefined> {
    const [newest] = await this.store.collection<ParkedEvent>(PARKED_COLLECTION).find({ subscription }, { sort: { position: -1 }, limit: 1 });
    return newest;
  }

  /** Parked events oldest first, of one subscription or of all. */
  async list(subscription?: string, limit = 1000): Promise<ParkedEvent[]> {
    const filter = subscription === undefined ? {} : { subscription };
    return this.store.collection<ParkedEvent>(PARKED_COLLECTION).find(filter, { sort: { position: 1 }, limit });
  }
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
