import { StrataError } from './strata-error';

/** The request carries no valid credentials (HTTP 401); the message says what was wrong with them. */
export class UnauthenticatedError extends StrataError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

/** The caller is known but may not do this (HTTP 403 unless a subclass's code says otherwise). */
export class ForbiddenError extends StrataError {}

/** The client sent more requests than its limit allows (HTTP 429). */
export class RateLimitedError extends StrataError {
  constructor(
    readonly retryAfterSeconds: number,
    limit: number,
    ttlMs: number,
  ) {
    super('RATE_LIMITED', `Too many requests: at most ${limit} every ${ttlMs} ms are allowed per client. Retry after ${retryAfterSeconds} s.`);
  }
}
