import type { ExpectedRevision } from '../event-store/expected-revision';
import { StrataError } from './strata-error';

/** The stream was not at the revision the append expected. */
export class WrongExpectedRevisionError extends StrataError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(
      'WRONG_EXPECTED_REVISION',
      `Stream '${streamId}' was expected at ${String(expected)} but is at ${String(actual)}. ` +
        'Re-read the stream and decide again, or send the current revision.',
    );
  }
}

/** A command kept conflicting with concurrent writers after every retry (HTTP 409). */
export class ConcurrencyConflictError extends StrataError {
  constructor(
    readonly streamId: string,
    readonly attempts: number,
    cause: WrongExpectedRevisionError,
  ) {
    super(
      'CONCURRENCY_CONFLICT',
      `Stream '${streamId}' changed concurrently on each of ${attempts} attempts. Retry the request later.`,
      { cause },
    );
  }
}

/** Some of the event ids being appended already exist, but not as the same append. */
export class DuplicateEventIdError extends StrataError {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(
      'DUPLICATE_EVENT_ID',
      `Event id '${eventId}' already exists, but not as the same append to '${streamId}'. Event ids must be unique.`,
    );
  }
}

/**
 * A command id (an `Idempotency-Key`) came back with another request than the one it was
 * first used for (HTTP 422). Answering with the first result would tell the client that a
 * request it never made succeeded.
 */
export class IdempotencyKeyReusedError extends StrataError {
  constructor(
    readonly streamId: string,
    readonly commandId: string,
  ) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency key '${commandId}' was first used on '${streamId}' for a different request. ` +
        'Send the same request to repeat it, or a new key for a new request.',
    );
  }
}

/** Reading a stream that has no events. */
export class StreamNotFoundError extends StrataError {
  constructor(readonly streamId: string) {
    super('STREAM_NOT_FOUND', `Stream '${streamId}' does not exist.`);
  }
}
