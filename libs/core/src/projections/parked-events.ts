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
      _id: `${subscription}@${event.position}`,
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

  async count(subscription: string): Promise<number> {
    return this.store.collection<ParkedEvent>(PARKED_COLLECTION).countDocuments({ subscription });
  }

  /** Parked events oldest first, of one subscription or of all. */
  async list(subscription?: string, limit = 1000): Promise<ParkedEvent[]> {
    const filter = subscription === undefined ? {} : { subscription };
    return this.store.collection<ParkedEvent>(PARKED_COLLECTION).find(filter, { sort: { position: 1 }, limit });
  }
}

function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.slice(0, 2000);
}
