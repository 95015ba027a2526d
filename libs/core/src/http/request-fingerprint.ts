import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';

/** What of a request makes it "the same request" when its `Idempotency-Key` comes back. */
export interface FingerprintedRequest {
  readonly method: string;
  /** The route's pattern (`/accounts/:id/deposits`); the stream already tells ids apart. */
  readonly route: string;
  readonly body: unknown;
}

/**
 * A digest of a command request: its method, route and body, the body with its keys sorted so
 * that the order a client serialises them in does not matter.
 */
export function requestFingerprint({ method, route, body }: FingerprintedRequest): string {
  const canonical = stringify({ method: method.toUpperCase(), route, body: body ?? null }) ?? '';
  return createHash('sha256').update(canonical).digest('base64url');
}
