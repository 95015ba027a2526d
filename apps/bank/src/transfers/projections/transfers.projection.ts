import { Projection, type ProjectionContext, type ProjectionHandler } from '@strata/core';
import { NotProjectedError } from '../../not-projected.error';
import type { RecordedTransferEvent, TransferEvent } from '../events/transfer.events';
import { TRANSFERS_COLLECTION, type TransferDocument } from './transfer.document';

const NAME = 'transfers';

/** Keeps one document per transfer: who, how much, and whether it is pending, completed or failed (and why). */
@Projection({
  name: NAME,
  version: 1,
  events: ['TransferRequested', 'TransferCompleted', 'TransferFailed'],
  collections: { [TRANSFERS_COLLECTION]: {} },
})
export class TransfersProjection implements ProjectionHandler<TransferEvent> {
  async handle(event: RecordedTransferEvent, ctx: ProjectionContext): Promise<void> {
    const transfers = ctx.collection<TransferDocument>(TRANSFERS_COLLECTION);
    const { transferId } = event.data;
    const current = await transfers.findOne({ _id: transferId });
    const revision = Number(event.revision);
    // Delivery is at least once: an event at or below the stored revision is already in the document.
    if (current && revision <= current.revision) return;
    const { _id, ...next } = applyToTransfer(current, event, revision);
    await transfers.replaceOne({ _id }, next, { upsert: true });
  }
}

function applyToTransfer(current: TransferDocument | null, event: RecordedTransferEvent, revision: number): TransferDocument {
  if (event.type === 'TransferRequested') {
    const { transferId, from, to, amount, requestedBy } = event.data;
    return { _id: transferId, from, to, amount, ...(requestedBy === undefined ? {} : { requestedBy }), status: 'pending', revision };
  }
  if (!current) throw new NotProjectedError(NAME, event, 'transfer', event.data.transferId);
  return event.type === 'TransferCompleted'
    ? { ...current, status: 'completed', revision }
    : { ...current, status: 'failed', reason: event.data.reason, revision };
}
