import type { ExpectedRevision } from '../event-store/expected-revision';

/** Who sent a command and under which conditions; it flows into event metadata. */
export interface CommandContext {
  /** Idempotency key: a repeat with the same id returns the first result without appending. */
  readonly commandId?: string;
  /** From `If-Match`: the append must find the stream at this revision, and is never retried. */
  readonly expectedRevision?: ExpectedRevision;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly user?: string;
}
