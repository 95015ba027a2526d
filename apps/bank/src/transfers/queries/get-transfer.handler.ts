import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@strata/core';
import { TRANSFERS_COLLECTION, type TransferDocument } from '../projections/transfer.document';
import { TransferNotFoundError } from '../transfer.errors';
import { GetTransferQuery } from './get-transfer.query';
import { toTransferView, type TransferView } from './transfer.view';

/** Answers `GetTransferQuery`; a transfer the read model does not hold is a 404. */
@QueryHandler(GetTransferQuery)
export class GetTransferHandler implements IQueryHandler<GetTransferQuery, TransferView> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ transferId, viewer }: GetTransferQuery): Promise<TransferView> {
    const transfer = await this.readModels.collection<TransferDocument>(TRANSFERS_COLLECTION).findOne({ _id: transferId });
    // Read models lag behind commands, so the advice is to wait for the write.
    if (!transfer || (viewer !== undefined && transfer.requestedBy !== viewer)) throw new TransferNotFoundError(transferId, "If it was just requested, send the request's 'position' as the X-Strata-Position header to wait for it.");
    return toTransferView(transfer);
  }
}
