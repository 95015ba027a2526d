import type { DocumentStore, DocumentTransaction } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import type { EventStore } from '../event-store/event-store';
import type { RecordedEvent } from '../events/event';
import { PARKED_COLLECTION, ParkedEvents, describeError, type ParkedEvent } from './parked-events';
import { applyEvents, ProjectionHandlerError } from './projection-context';
import { activeHolder, Lease } from './projection-lease';
import { ReplayInProgressError } from './projection-replay';
import { physicalCollections, replayLeaseName, subscriptionOf, type RegisteredProjection } from './registered-projection';

/** What re-applying a parked sequence came to. */
export interface ParkedRetryOutcome {
  /** The record the operator named. */
  readonly id: string;
  /** The records applied and removed, oldest first. */
  readonly applied: readonly string[];
  /** The record that failed again, with its error; it heads the sequence now, and those behind it stay parked. */
  readonly failed: { readonly id: string; readonly error: string } | null;
}

/** What skipping a parked event came to: the record removed, and the events it held that were then applied. */
export interface ParkedSkipOutcome {
  readonly skipped: ParkedEvent;
  /** The rest of its sequence, applied in order once the head was gone; null when nothing was behind it, or it was not the head. */
  readonly released: ParkedRetryOutcome | null;
  /** Records still parked behind it because no subscription of this app can apply them. */
  readonly stillParked: number;
}

/** Events of a sequence applied per unit of work. */
const SEQUENCE_CHUNK = 500;

/**
 * An operator's actions on parked events of projections and sagas. Both act on sequences:
 * a retry applies the sequence of the named event's partition from its head, in order; a skip
 * drops one event and, when it headed a sequence, applies the events it held. Both run under
 * the subscription's lease, taken from the running app for that moment, which then reloads
 * what is parked.
 */
export class ParkedEventActions {
  private readonly parked: ParkedEvents;

  constructor(
    private readonly projections: readonly RegisteredProjection[],
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly owner: string,
    private readonly leaseTtlMs: number,
  ) {
    this.parked = new ParkedEvents(documents);
  }

  /**
   * Applies the named event's sequence through the handler, oldest first, removing each record
   * that applies. The first that throws again keeps its record (with the new error and one more
   * attempt) and heads what is left; nothing behind it is applied. Checkpoints do not move.
   */
  async retry(id: string): Promise<ParkedRetryOutcome> {
    const parked = await this.find(id);
    const projection = this.projectionOf(parked, 'retried');
    return this.underLease(projection, parked, async (lease) => this.applySequence(lease, projection, await this.parked.sequenceOf(parked), id));
  }

  /**
   * Removes the record: its event stays unapplied. When it headed a sequence, the events it held
   * are applied in order, as a retry would, and the first that fails heads the sequence again.
   */
  async skip(id: string): Promise<ParkedSkipOutcome> {
    const skipped = await this.find(id);
    const [head, ...behind] = await this.parked.sequenceOf(skipped);
    const projection = this.projections.find((candidate) => subscriptionOf(candidate) === skipped.subscription);
    if (head?._id !== id || behind.length === 0 || !projection) {
      await this.documents.collection<ParkedEvent>(PARKED_COLLECTION).deleteOne({ _id: id });
      return { skipped, released: null, stillParked: head?._id === id ? behind.length : 0 };
    }
    const released = await this.underLease(projection, skipped, (lease) => this.applySequence(lease, projection, behind, id, id));
    return { skipped, released, stillParked: 0 };
  }

  /** Takes the subscription's lease (the app's runner stands by and reloads), runs `work`, and gives it back. */
  private async underLease<R>(projection: RegisteredProjection, parked: ParkedEvent, work: (lease: Lease) => Promise<R>): Promise<R> {
    if (projection.subscription === undefined) {
      const replay = await new Lease(this.documents, replayLeaseName(projection.options.name, projection.options.version), this.owner, this.leaseTtlMs).read();
      const rebuilder = activeHolder(replay);
      if (rebuilder !== null) throw new ReplayInProgressError(projection.options.name, rebuilder);
    }
    const lease = new Lease(this.documents, parked.subscription, this.owner, this.leaseTtlMs);
    // The running app's runner fails its next batch on the fence and stands by until the release.
    await lease.steal();
    try {
      return await work(lease);
    } finally {
      await lease.release();
    }
  }

  /** Applies `records` in order, chunk by chunk; `drop` is removed with the first chunk (a skipped head). */
  private async applySequence(lease: Lease, projection: RegisteredProjection, records: readonly ParkedEvent[], id: string, drop?: string): Promise<ParkedRetryOutcome> {
    const applied: string[] = [];
    for (let from = 0; from < records.length; from += SEQUENCE_CHUNK) {
      const chunk = records.slice(from, from + SEQUENCE_CHUNK);
      const events: RecordedEvent[] = [];
      for (const record of chunk) events.push(await this.eventOf(record));
      const commit = (count: number, after?: (tx: DocumentTransaction) => Promise<void>) =>
        this.documents.transaction(async (tx) => {
          await lease.fence(tx);
          const parked = tx.collection<ParkedEvent>(PARKED_COLLECTION);
          if (drop !== undefined) await parked.deleteOne({ _id: drop });
          await applyEvents(projection.handler, projection.options, events.slice(0, count), tx, { physicalName: physicalCollections(projection) });
          for (const record of chunk.slice(0, count)) await parked.deleteOne({ _id: record._id });
          await after?.(tx);
        });
      try {
        await commit(chunk.length);
      } catch (error) {
        if (!(error instanceof ProjectionHandlerError)) throw error;
        const failing = chunk[error.index] as ParkedEvent;
        const text = describeError(error);
        // The events before it apply; it heads what is left, as a failure now, not a held event.
        await commit(error.index, (tx) =>
          tx
            .collection<ParkedEvent>(PARKED_COLLECTION)
            .updateOne({ _id: failing._id }, { $set: { error: text, held: false, parkedAt: new Date().toISOString() }, $inc: { attempts: 1 } })
            .then(() => undefined),
        );
        return { id, applied: [...applied, ...chunk.slice(0, error.index).map((record) => record._id)], failed: { id: failing._id, error: text } };
      }
      applied.push(...chunk.map((record) => record._id));
      drop = undefined;
    }
    return { id, applied, failed: null };
  }

  private async find(id: string): Promise<ParkedEvent> {
    const parked = await this.documents.collection<ParkedEvent>(PARKED_COLLECTION).findOne({ _id: id });
    if (!parked) {
      throw new StrataError('UNKNOWN_PARKED_EVENT', `There is no parked event '${id}'. 'parked list' shows the ids of those there are.`);
    }
    return parked;
  }

  private projectionOf(parked: ParkedEvent, action: string): RegisteredProjection {
    const projection = this.projections.find((candidate) => subscriptionOf(candidate) === parked.subscription);
    if (!projection) {
      throw new StrataError(
        'NOT_A_PROJECTION_EVENT',
        `Parked event '${parked._id}' belongs to '${parked.subscription}', which is neither a projection nor a saga of this app, so it cannot be ${action} here; 'parked skip' removes it.`,
      );
    }
    return projection;
  }

  private async eventOf(parked: ParkedEvent): Promise<RecordedEvent> {
    // A damaged event comes back marked, so applying it fails (and keeps it parked) instead of reading as gone.
    const page = await this.events.readAll({ fromPosition: parked.position, maxCount: 1, includeDamaged: true });
    const event = page.events[0];
    if (!event || event.position !== parked.position || event.id !== parked.eventId) {
      throw new StrataError('PARKED_EVENT_GONE', `The event of parked record '${parked._id}' is no longer at ${parked.position} in the log; 'parked skip' removes the record.`);
    }
    return event;
  }
}

