import type { ExpectedRevision } from '../event-store/expected-revision';

/** Who sent a command and under which conditions; it flows into event metadata. */
export interface CommandContext {
  /** Idempotency key: a repeat with the same id returns the first result without appending. */
  readonly commandId?: string;
  /**
   * A digest of the request that carried `commandId` (see `requestFingerprint`). It is stored
   * with the events, and a repeat whose digest differs is refused with
   * `IdempotencyKeyReusedError` instead of answered with the first result.
   */
  readonly fingerprint?: string;
  /** From `If-Match`: the append must find the stream at this revision, and is never retried. */
  readonly expectedRevision?: ExpectedRevision;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly user?: string;
}
