import type { Position } from '../event-store/position';
import type { DocumentStore } from '../documents/document-store';
import { describeError, PARKED_COLLECTION, type ParkedEvent } from '../projections/parked-events';
import type { Delivery } from './integration-transport';

/** The parked-event name of an inbox. */
export function inboxSubscriptionName(inbox: string): string {
  return `inbox:${inbox}`;
}

/** A parked message: a parked event whose "event" is the message, kept whole for a retry. */
export interface ParkedMessage extends ParkedEvent {
  /** The payload as it arrived. */
  readonly payload: string;
}

let sequence = 0;

/** Orders parked messages by arrival: a time, then a counter for messages parked in one millisecond. */
function arrivalPosition(now: number): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(now).padStart(15, '0')}-${String(sequence).padStart(6, '0')}`;
}

/**
 * An inbox's parked messages, in the parked-events collection the CLI lists. Parking is
 * ordered per key: once a key has a parked message, later ones of that key are parked behind
 * it, so a retry applies them in the order they arrived.
 */
export class InboxParking {
  private readonly subscription: string;
  /** Whether the inbox had parked messages when last asked, and when that was: most of the time it has none. */
  private anyParked: { value: boolean; at: number } = { value: true, at: 0 };

  constructor(
    private readonly documents: DocumentStore,
    inbox: string,
  ) {
    this.subscription = inboxSubscriptionName(inbox);
  }

  /** Whether a message with this ordering key must wait behind a parked one. */
  async holds(key: string, now = Date.now()): Promise<boolean> {
    // Only this inbox's consumer parks; a retry elsewhere only removes. So "none" stays true
    // until this process parks one, and is asked again once a second to notice removals.
    if (now - this.anyParked.at > 1_000) this.anyParked = { value: (await this.count()) > 0, at: now };
    if (!this.anyParked.value) return false;
    return (await this.documents.collection<ParkedMessage>(PARKED_COLLECTION).countDocuments({ subscription: this.subscription, streamId: key })) > 0;
  }

  /** Parks a message that failed, or (`held`) one that waits behind an earlier parked message of its key. */
  async park(delivery: Delivery, error: unknown, attempts: number, now = Date.now(), held = false): Promise<ParkedMessage> {
    const position = arrivalPosition(now);
    const message = delivery.message;
    const parked: ParkedMessage = {
      _id: `${this.subscription}@${message?.id ?? position}`,
      subscription: this.subscription,
      // Not a log position: an arrival order, so the CLI lists parked messages oldest first.
      position: position as unknown as Position,
      eventId: message?.id ?? '',
      eventType: message?.type ?? '(unreadable)',
      // A message's key is both its "stream" and its partition; records are found by the stream, which older ones have too.
      streamId: message?.key ?? '',
      revision: '0',
      partition: message?.key ?? '',
      held,
      error: describeError(error),
      attempts,
      parkedAt: new Date(now).toISOString(),
      payload: delivery.raw,
    };
    // A redelivery of a message parked before keeps its first place in the sequence.
    const existing = await this.documents.collection<ParkedMessage>(PARKED_COLLECTION).findOne({ _id: parked._id });
    if (existing) return existing;
    await this.documents.collection<ParkedMessage>(PARKED_COLLECTION).insertOne(parked);
    this.anyParked = { value: true, at: now };
    return parked;
  }

  /** The parked messages of one key, oldest first: the sequence a retry applies. */
  async sequenceOf(key: string): Promise<ParkedMessage[]> {
    return this.documents
      .collection<ParkedMessage>(PARKED_COLLECTION)
      .find({ subscription: this.subscription, streamId: key }, { sort: { position: 1 }, limit: Number.MAX_SAFE_INTEGER });
  }

  async find(id: string): Promise<ParkedMessage | null> {
    return this.documents.collection<ParkedMessage>(PARKED_COLLECTION).findOne({ _id: id, subscription: this.subscription });
  }

  async remove(id: string): Promise<void> {
    await this.documents.collection<ParkedMessage>(PARKED_COLLECTION).deleteOne({ _id: id });
  }

  /** Keeps a message that failed again: it heads its key's sequence now, as a failure rather than a held message. */
  async failedAgain(id: string, error: unknown): Promise<void> {
    await this.documents
      .collection<ParkedMessage>(PARKED_COLLECTION)
      .updateOne({ _id: id }, { $set: { error: describeError(error), held: false, parkedAt: new Date().toISOString() }, $inc: { attempts: 1 } });
  }

  async count(): Promise<number> {
    return this.documents.collection<ParkedMessage>(PARKED_COLLECTION).countDocuments({ subscription: this.subscription });
  }
}
