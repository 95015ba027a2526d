import { StrataError, type RecordedEvent } from '@strata/core';

/**
 * An event reached a projection that holds no document for its entity (never saw the event that
 * creates it): the projection's collections were changed behind its back, or it was given a
 * partial stream. The code names the entity: `ACCOUNT_NOT_PROJECTED`, `TRANSFER_NOT_PROJECTED`.
 */
export class NotProjectedError extends StrataError {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    entity: 'account' | 'transfer',
    id: string,
  ) {
    super(
      `${entity.toUpperCase()}_NOT_PROJECTED`,
      `Projection '${projection}' got ${event.type} at revision ${event.revision} of stream ${event.streamId}, ` +
        `but holds no ${entity} '${id}'. Rebuild the projection (bump its version) to replay the stream from the start.`,
    );
  }
}
