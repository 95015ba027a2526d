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

/** Reading a stream that has no events. */
export class StreamNotFoundError extends StrataError {
  constructor(readonly streamId: string) {
    super('STREAM_NOT_FOUND', `Stream '${streamId}' does not exist.`);
  }
}
