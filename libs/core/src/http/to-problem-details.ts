import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { StrataError } from '../errors/strata-error';
import { httpStatusOf } from './http-status';
import { problemTitle, problemType, type ProblemDetails } from './problem-details';
import { RequestValidationError } from './request-validation-error';

const INTERNAL_DETAIL =
  'An unexpected error occurred and has been logged. Retry later; if it persists, report the X-Correlation-Id of this response.';

// Server-side conditions the client is meant to understand and retry, so their message is safe to show.
const EXPLAINED_5XX = new Set(['CONSISTENCY_TIMEOUT']);

// A store that could not be reached, was locked, full or damaged: the client learns that and
// what to do, while the cause (hosts, driver messages, positions) stays in the log. An event
// store that could not be reached may have applied the command, hence the advice to repeat it.
const SERVER_FAULT_DETAIL: Readonly<Record<string, string>> = {
  EVENT_STORE_UNAVAILABLE:
    'The event store could not be reached. The command may or may not have been applied: retry it with the same Idempotency-Key.',
  READ_STORE_UNAVAILABLE: 'The read-model store could not be reached. Retry shortly.',
  STORE_BUSY: 'The store was busy with another writer and nothing was changed. Retry shortly.',
  STORAGE_FULL: 'The server has no storage left for this write and nothing was changed. Retry later; the operator has to free space.',
  STORAGE_WRITE_FAILED: 'The server could not write to its storage and nothing was changed. Retry later.',
  STORE_CORRUPTED: 'The server found its store damaged and refused the request; nothing was changed. The operator has been told in the log.',
  EVENT_INTEGRITY_FAILED:
    'A stored event this request depends on failed its integrity check, so the request was refused and nothing was changed. The operator has been told in the log.',
  IDENTITY_PROVIDER_UNAVAILABLE: "The identity provider's signing keys could not be fetched, so the bearer token could not be checked. Retry shortly.",
};

/** Whether the client may see an error's own message: every 4xx, and the 5xx that are expected conditions. */
export function isExplained(error: unknown, status: number = httpStatusOf(error)): boolean {
  return status < 500 || (StrataError.isStrataError(error) && EXPLAINED_5XX.has(error.code));
}

/** The problem document for an error; an unexpected 5xx gets a generic detail, never its message or stack. */
export function toProblemDetails(error: unknown, instance?: string): ProblemDetails {
  const status = httpStatusOf(error);
  const explained = isExplained(error, status);
  const advice = explained ? undefined : serverFaultDetailOf(error);
  const code = codeOf(error, status, explained || advice !== undefined);
  const base = { type: problemType(code), title: problemTitle(code), status, code };
  const located = instance === undefined ? base : { ...base, instance };
  if (!explained) return { ...located, detail: advice ?? INTERNAL_DETAIL };
  if (error instanceof RequestValidationError) return { ...located, detail: error.message, errors: error.errors };
  return { ...located, detail: detailOf(error, status) };
}

function serverFaultDetailOf(error: unknown): string | undefined {
  return StrataError.isStrataError(error) ? SERVER_FAULT_DETAIL[error.code] : undefined;
}

/** The error's own code when the client is told about it; otherwise one named after the status. */
function codeOf(error: unknown, status: number, named: boolean): string {
  if (StrataError.isStrataError(error) && named) return error.code;
  // Without a Strata code, the status's reason phrase names the problem (PAYLOAD_TOO_LARGE).
  const reason = STATUS_CODES[status] ?? 'Internal Server Error';
  return reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function detailOf(error: unknown, status: number): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  if (error instanceof Error && error.message !== '') return error.message;
  return STATUS_CODES[status] ?? 'Error';
}
