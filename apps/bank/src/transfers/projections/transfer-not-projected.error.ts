import { StrataError, type RecordedEvent } from '@strata/core';

/** A transfer's settlement reached the projection before (or without) its `TransferRequested`. */
export class TransferNotProjectedError extends StrataError {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent<{ type: string; data: { transferId: string } }>,
  ) {
    super(
      'TRANSFER_NOT_PROJECTED',
      `Projection '${projection}' got ${event.type} at revision ${event.revision} of stream ${event.streamId}, ` +
        `but holds no transfer '${event.data.transferId}'. Rebuild the projection (bump its version) to replay the stream from the start.`,
    );
  }
}
