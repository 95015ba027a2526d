import { backoffDelay, type RetryPolicy } from '../commands/retry-policy';
import { damageOf } from '../event-store/damaged-events';
import type { Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import { ProjectionHandlerError } from './projection-context';

/** Where a batch goes, and what becomes of an event that keeps failing. */
export interface BatchSink {
  /** Applies `events` and moves the checkpoint to `target` in one unit of work. */
  commit(events: readonly RecordedEvent[], target: Position): Promise<void>;
  /** Records the event as parked and moves the checkpoint to it, in one unit of work. */
  park(event: RecordedEvent, error: unknown, attempts: number): Promise<void>;
  /** Waits before retry `attempt` of a failing event; false gives up without parking (a stop). */
  beforeRetry(event: RecordedEvent, attempt: number, delayMs: number, error: unknown): Promise<boolean>;
}

/**
 * Commits a batch. When a handler throws, commits the events before the failing one, retries
 * that one alone with backoff, and parks it after `policy.maxAttempts`. Returns the position
 * committed last: `target`, or the failing event's (the caller reads on from there), or null
 * when a stop ended the retries before anything was committed.
 */
export async function commitWithRecovery(sink: BatchSink, events: readonly RecordedEvent[], target: Position, policy: RetryPolicy): Promise<Position | null> {
  let failure: ProjectionHandlerError;
  try {
    await sink.commit(events, target);
    return target;
  } catch (error) {
    if (!(error instanceof ProjectionHandlerError)) throw error;
    failure = error;
  }
  let reached: Position | null = null;
  if (failure.index > 0) {
    const before = events.slice(0, failure.index);
    reached = await commitWithRecovery(sink, before, (before[before.length - 1] as RecordedEvent).position, policy);
    if (reached === null) return null;
  }
  const poison = failure.event;
  let lastError: unknown = failure.cause;
  // A damaged event reads the same on every attempt: park it at once.
  if (damageOf(poison) !== undefined) {
    await sink.park(poison, lastError, 1);
    return poison.position;
  }
  for (let attempt = 2; attempt <= policy.maxAttempts; attempt++) {
    if (!(await sink.beforeRetry(poison, attempt, Math.max(1, backoffDelay(policy, attempt - 1)), lastError))) return reached;
    try {
      await sink.commit([poison], poison.position);
      return poison.position;
    } catch (error) {
      if (!(error instanceof ProjectionHandlerError)) throw error;
      lastError = error.cause;
    }
  }
  await sink.park(poison, lastError, policy.maxAttempts);
  return poison.position;
}
