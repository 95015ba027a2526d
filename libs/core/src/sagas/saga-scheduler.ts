import type { LoggerService } from '@nestjs/common';
import { deriveId } from '../commands/event-ids';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { Clock } from './clock';
import { LeasedLoop } from './leased-loop';
import { SAGA_DEADLINES, SAGA_OUTBOX, sagaStreamId, type DeadlineDocument, type OutboxDocument } from './saga-documents';

/**
 * Fires due deadlines, once each: a command deadline moves into the outbox in the same unit
 * of work that deletes it; a timeout event is appended to the instance's stream with an id
 * derived from the deadline, so firing again after a crash appends nothing new.
 */
export class SagaScheduler extends LeasedLoop {
  constructor(
    documents: DocumentStore,
    private readonly events: EventStore,
    private readonly clock: Clock,
    timing: { readonly pollIntervalMs: number; readonly leaseTtlMs: number },
    owner: string,
    logger: LoggerService,
    private readonly onCommand: () => void,
  ) {
    super(documents, 'saga:scheduler', owner, timing, logger);
  }

  protected override async turn(): Promise<boolean> {
    const limit = 100;
    const due = await this.documents
      .collection<DeadlineDocument>(SAGA_DEADLINES)
      .find({ dueAt: { $lte: this.clock.now() } }, { sort: { dueAt: 1, _id: 1 }, limit });
    for (const deadline of due) await this.fire(deadline);
    return due.length === limit;
  }

  private async fire(deadline: DeadlineDocument): Promise<void> {
    // The scheduling position is part of the id: the same key scheduled again is a new firing.
    const firingId = deriveId('saga-deadline', deadline._id, deadline.scheduledBy);
    const thisScheduling = { _id: deadline._id, scheduledBy: deadline.scheduledBy };
    if ('command' in deadline.action) {
      const now = this.clock.now();
      const entry: OutboxDocument = {
        _id: firingId,
        saga: deadline.saga,
        instanceId: deadline.instanceId,
        command: deadline.action.command,
        correlationId: deadline.correlationId,
        causationId: firingId,
        createdAt: now,
        attempts: 0,
        nextAttemptAt: now,
        rejection: null,
      };
      await this.fenced(async (tx) => {
        // Cancelled or rescheduled since it was read: this firing is void. Deleting first makes
        // the check and the outbox write one unit, which a racing cancel turns into a conflict.
        const { deletedCount } = await tx.collection<DeadlineDocument>(SAGA_DEADLINES).deleteOne(thisScheduling);
        if (deletedCount === 1) await tx.collection<OutboxDocument>(SAGA_OUTBOX).replaceOne({ _id: entry._id }, entry, { upsert: true });
      });
      this.onCommand();
      return;
    }
    // The append cannot join a document unit of work, so a cancel racing it can still let one
    // stale timeout through; this check only narrows that to the append itself.
    if ((await this.documents.collection<DeadlineDocument>(SAGA_DEADLINES).findOne(thisScheduling)) === null) return;
    const { type, data } = deadline.action.event;
    await this.events.appendToStream(
      sagaStreamId(deadline.saga, deadline.instanceId),
      [{ id: firingId, type, data, metadata: { causationId: firingId, ...(deadline.correlationId === null ? {} : { correlationId: deadline.correlationId }) } }],
      { expectedRevision: 'any' },
    );
    await this.fenced((tx) => tx.collection<DeadlineDocument>(SAGA_DEADLINES).deleteOne(thisScheduling));
  }
}
