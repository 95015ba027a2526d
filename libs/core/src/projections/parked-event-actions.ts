import type { DocumentStore } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import type { EventStore } from '../event-store/event-store';
import type { RecordedEvent } from '../events/event';
import { PARKED_COLLECTION, describeError, type ParkedEvent } from './parked-events';
import { applyEvents, createProjectionContext, ProjectionHandlerError } from './projection-context';
import { activeHolder, Lease } from './projection-lease';
import { ReplayInProgressError } from './projection-replay';
import { physicalCollections, replayLeaseName, subscriptionOf, type RegisteredProjection } from './registered-projection';

/** What retrying one parked event came to. */
export type ParkedRetryOutcome =
  | { readonly id: string; readonly applied: true }
  | { readonly id: string; readonly applied: false; readonly error: string };

/**
 * An operator's actions on parked projection events: retry one through its handler (under the
 * projection's lease, taken from the running app for that moment), or skip it for good.
 */
export class ParkedEventActions {
  constructor(
    private readonly projections: readonly RegisteredProjection[],
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly owner: string,
    private readonly leaseTtlMs: number,
  ) {}

  /**
   * Applies the parked event through its projection's handler and removes the record; when
   * the handler throws again, keeps the record with the new error and one more attempt.
   * The projection's checkpoint is already past the event, so it does not move.
   */
  async retry(id: string): Promise<ParkedRetryOutcome> {
    const parked = await this.find(id);
    const projection = this.projectionOf(parked);
    const replay = await new Lease(this.documents, replayLeaseName(projection.options.name, projection.options.version), this.owner, this.leaseTtlMs).read();
    const rebuilder = activeHolder(replay);
    if (rebuilder !== null) throw new ReplayInProgressError(projection.options.name, rebuilder);
    const event = await this.eventOf(parked);
    const lease = new Lease(this.documents, parked.subscription, this.owner, this.leaseTtlMs);
    // The running app's runner fails its next batch on the fence and stands by until the release.
    await lease.steal();
    try {
      await this.documents.transaction(async (tx) => {
        await lease.fence(tx);
        await applyEvents(projection.handler, projection.options, [event], createProjectionContext(projection.options, tx, physicalCollections(projection)));
        await tx.collection<ParkedEvent>(PARKED_COLLECTION).deleteOne({ _id: id });
      });
      return { id, applied: true };
    } catch (error) {
      if (!(error instanceof ProjectionHandlerError)) throw error;
      const text = describeError(error);
      await this.documents
        .collection<ParkedEvent>(PARKED_COLLECTION)
        .updateOne({ _id: id }, { $set: { error: text, parkedAt: new Date().toISOString() }, $inc: { attempts: 1 } });
      return { id, applied: false, error: text };
    } finally {
      await lease.release();
    }
  }

  /** Removes the record: the event stays unapplied, and the projection is already past it. */
  async skip(id: string): Promise<ParkedEvent> {
    const parked = await this.find(id);
    await this.documents.collection<ParkedEvent>(PARKED_COLLECTION).deleteOne({ _id: id });
    return parked;
  }

  private async find(id: string): Promise<ParkedEvent> {
    const parked = await this.documents.collection<ParkedEvent>(PARKED_COLLECTION).findOne({ _id: id });
    if (!parked) {
      throw new StrataError('UNKNOWN_PARKED_EVENT', `There is no parked event '${id}'. 'parked list' shows the ids of those there are.`);
    }
    return parked;
  }

  private projectionOf(parked: ParkedEvent): RegisteredProjection {
    const projection = this.projections.find((candidate) => subscriptionOf(candidate) === parked.subscription);
    if (!projection) {
      throw new StrataError(
        'NOT_A_PROJECTION_EVENT',
        `Parked event '${parked._id}' belongs to '${parked.subscription}', which is not a projection of this app, so it cannot be retried here; 'parked skip' removes it.`,
      );
    }
    return projection;
  }

  private async eventOf(parked: ParkedEvent): Promise<RecordedEvent> {
    const page = await this.events.readAll({ fromPosition: parked.position, maxCount: 1 });
    const event = page.events[0];
    if (!event || event.position !== parked.position || event.id !== parked.eventId) {
      throw new StrataError('PARKED_EVENT_GONE', `The event of parked record '${parked._id}' is no longer at ${parked.position} in the log; 'parked skip' removes the record.`);
    }
    return event;
  }
}
