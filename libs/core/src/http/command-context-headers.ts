import type { IncomingHttpHeaders } from 'node:http';
import type { CommandContext } from '../commands/command-context';
import type { ExpectedRevision } from '../event-store/expected-revision';
import { CORRELATION_ID_HEADER, isValidCorrelationId } from './correlation-id';
import { RequestValidationError, type FieldError } from './request-validation-error';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IF_MATCH_HEADER = 'If-Match';

const VISIBLE_ASCII = /^[\x21-\x7e]{1,255}$/;
// A strong ETag holding a revision, as Strata sends it in `ETag`; 20 digits covers any int64.
const REVISION_ETAG = /^"(\d{1,20})"$/;

/**
 * Reads `Idempotency-Key`, `If-Match` and `X-Correlation-Id` into a command context; every
 * malformed header is reported at once as a 400 naming it.
 */
export function commandContextFromHeaders(headers: IncomingHttpHeaders, correlationId: string): CommandContext {
  const errors: FieldError[] = [];
  const commandId = optionalHeader(headers, IDEMPOTENCY_KEY_HEADER);
  if (commandId !== undefined && !VISIBLE_ASCII.test(commandId)) {
    errors.push({
      field: IDEMPOTENCY_KEY_HEADER,
      message: `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters without spaces`,
    });
  }
  const ifMatch = optionalHeader(headers, IF_MATCH_HEADER);
  const expectedRevision = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
  if (expectedRevision === null) {
    errors.push({
      field: IF_MATCH_HEADER,
      message: `${IF_MATCH_HEADER} must be a revision in double quotes, as the ETag header gave it (e.g. "3"), or *`,
    });
  }
  const sentCorrelationId = optionalHeader(headers, CORRELATION_ID_HEADER);
  if (sentCorrelationId !== undefined && !isValidCorrelationId(sentCorrelationId)) {
    errors.push({
      field: CORRELATION_ID_HEADER,
      message: `${CORRELATION_ID_HEADER} must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'`,
    });
  }
  if (errors.length > 0) throw new RequestValidationError(errors, 'INVALID_HEADER');
  return {
    correlationId,
    ...(commandId === undefined ? {} : { commandId }),
    ...(expectedRevision == null ? {} : { expectedRevision }),
  };
}

/** The `ETag` of a stream revision, in the form `If-Match` accepts back: `"3"`. */
export function revisionETag(revision: bigint): string {
  return `"${revision}"`;
}

function optionalHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  // Node joins most repeated headers with ', '; an array is only left for a few, and is refused.
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `*` means the stream must exist; null when the header is malformed. */
function parseIfMatch(value: string): ExpectedRevision | null {
  if (value.trim() === '*') return 'stream_exists';
  const match = REVISION_ETAG.exec(value.trim());
  return match?.[1] === undefined ? null : BigInt(match[1]);
}
