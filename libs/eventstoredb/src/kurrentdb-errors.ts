import { ErrorType, type WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { StrataError, WrongExpectedRevisionError, type ExpectedRevision } from '@strata/core';
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

/** The server's `WrongExpectedVersion` as core's conflict, with what was expected and what was found. */
export function toWrongExpectedRevision(error: WrongExpectedVersionError, streamId: string, expected: ExpectedRevision): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, fromCurrentState(error.actualState));
}

/** Wraps a transport or server failure so callers see a `StrataError` that names the store. */
export function unavailable(error: unknown, action: string): StrataError {
  const message = error instanceof Error ? error.message : String(error);
  return new StrataError('EVENT_STORE_UNAVAILABLE', `KurrentDB could not ${action}: ${message}. Check KURRENTDB_URL and that the server is up.`, {
    cause: error,
  });
}

function errorType(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
}
