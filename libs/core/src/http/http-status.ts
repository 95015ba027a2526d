import { HttpException } from '@nestjs/common';
import { ForbiddenError } from '../errors/access-errors';
import { DomainError, NotFoundError, StrataError } from '../errors/strata-error';

// The one place where errors become HTTP statuses. Codes first, because a code is stable
// across package copies; then the domain classes, whose subclasses carry their own codes.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_HEADER: 400,
  INVALID_POSITION: 400,
  JSON_TOO_DEEP: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  STREAM_NOT_FOUND: 404,
  CONCURRENCY_CONFLICT: 409,
  DUPLICATE_EVENT_ID: 409,
  WRONG_EXPECTED_REVISION: 412,
  IDEMPOTENCY_KEY_REUSED: 422,
  DUPLICATE_KEY: 409,
  WRITE_CONFLICT: 409,
  STREAM_DELETED: 410,
  APPEND_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CONSISTENCY_TIMEOUT: 503,
  EVENT_STORE_UNAVAILABLE: 503,
  READ_STORE_UNAVAILABLE: 503,
  STORE_BUSY: 503,
  // Storage: a full disk is 507 Insufficient Storage; another write fault may pass, so 503.
  STORAGE_FULL: 507,
  STORAGE_WRITE_FAILED: 503,
  // Damage is not the client's doing and retrying will not mend it, but it has its own code.
  STORE_CORRUPTED: 500,
  EVENT_INTEGRITY_FAILED: 500,
  TOO_MANY_CONNECTIONS: 503,
  IDENTITY_PROVIDER_UNAVAILABLE: 503,
};

/** The HTTP status an error is answered with; anything unrecognised is a 500. */
export function httpStatusOf(error: unknown): number {
  if (StrataError.isStrataError(error)) {
    const byCode = STATUS_BY_CODE[error.code];
    if (byCode !== undefined) return byCode;
    if (error instanceof NotFoundError) return 404;
    if (error instanceof ForbiddenError) return 403;
    if (error instanceof DomainError) return 422;
    return 500;
  }
  if (error instanceof HttpException) return error.getStatus();
  // Fastify's own errors (body too large, bad JSON, media type) carry the status they mean.
  if (hasClientStatus(error)) return error.statusCode;
  return 500;
}

function hasClientStatus(error: unknown): error is Error & { statusCode: number } {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}
