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

/** The identity provider's signing keys could not be fetched, so no token can be checked (HTTP 503). */
export class IdentityProviderUnavailableError extends StrataError {
  constructor(url: string, reason: string) {
    super('IDENTITY_PROVIDER_UNAVAILABLE', `The identity provider's keys at ${url} could not be fetched (${reason}).`);
  }
}
