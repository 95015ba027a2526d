import { ErrorType, type WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { StrataError } from '@strata/core';
import { WrongExpectedRevisionError, type ExpectedRevision } from '@strata/core/adapter';
import { fromCurrentState } from './expected-state';

/** Whether a client error is the server's optimistic-concurrency refusal. */
export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return errorType(error) === ErrorType.WRONG_EXPECTED_VERSION;
}

/** Whether a client error says the stream has no events (absent, deleted or tombstoned). */
export function isMissingStream(error: unknown): boolean {
  const type = errorType(error);
  return type === ErrorType.STREAM_NOT_FOUND || type === ErrorType.STREAM_DELETED || type === ErrorType.STREAM_TOMBSTONED;
}

/** Whether a client error is the server's refusal of an append larger than its maximum append size. */
export function isAppendTooLarge(error: unknown): boolean {
  const type = errorType(error);
  return type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED || type === ErrorType.APPEND_RECORD_SIZE_EXCEEDED || type === ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED;
}

/** The server's `WrongExpectedVersion` as core's conflict, with what was expected and what was found. */
export function toWrongExpectedRevision(error: WrongExpectedVersionError, streamId: string, expected: ExpectedRevision): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, fromCurrentState(error.actualState));
}

/**
 * A client error as a `StrataError` that names the store. Refusals that a retry cannot change
 * get codes of their own; only what may pass (a transport failure, a leader election) is
 * `EVENT_STORE_UNAVAILABLE`, which callers retry.
 */
export function storeError(error: unknown, action: string, streamId?: string): StrataError {
  // Already Strata's (a read that failed its checksum, say): it says what happened better than a wrap would.
  if (StrataError.isStrataError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const stream = streamId === undefined ? 'the stream' : `'${streamId}'`;
  switch (errorType(error)) {
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
    case ErrorType.APPEND_RECORD_SIZE_EXCEEDED:
    case ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED: {
      const limit = (error as { maxAppendSize?: unknown; maxSize?: unknown }).maxAppendSize ?? (error as { maxSize?: unknown }).maxSize;
      return new StrataError(
        'APPEND_TOO_LARGE',
        `KurrentDB refused to ${action}: the events are larger than its maximum append size${typeof limit === 'number' ? ` of ${limit} bytes` : ''}. Store large payloads elsewhere and append a reference, or raise MaxAppendSize on the server.`,
        { cause: error },
      );
    }
    case ErrorType.STREAM_DELETED:
    case ErrorType.STREAM_TOMBSTONED:
      return new StrataError('STREAM_DELETED', `KurrentDB refused to ${action}: ${stream} was deleted on the server, and a deleted stream takes no more events.`, { cause: error });
    case ErrorType.ACCESS_DENIED:
      return new StrataError('EVENT_STORE_ACCESS_DENIED', `KurrentDB refused to ${action}: access denied (${message}). Give the user in KURRENTDB_URL the rights it needs.`, { cause: error });
    default:
      return new StrataError('EVENT_STORE_UNAVAILABLE', `KurrentDB could not ${action}: ${message}. Check KURRENTDB_URL and that the server is up.`, { cause: error });
  }
}

function errorType(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
}
