import { StrataError, type RecordedEvent } from '@strata/core';

/**
 * An account event reached a projection that never saw the account's `AccountOpened`: the
 * projection's collections were changed behind its back, or it was given a partial stream.
 */
export class AccountNotProjectedError extends StrataError {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent<{ type: string; data: { accountId: string } }>,
  ) {
    super(
      'ACCOUNT_NOT_PROJECTED',
      `Projection '${projection}' got ${event.type} at revision ${event.revision} of stream ${event.streamId}, ` +
        `but holds no account '${event.data.accountId}'. Rebuild the projection (bump its version) to replay the stream from the start.`,
    );
  }
}
