import { backoffDelay, type RetryPolicy } from '../commands/retry-policy';
import { damageOf } from '../event-store/damaged-events';
import type { Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import type { OrderedBatch, ParkingOrder } from './parking-order';
import { ProjectionHandlerError } from './projection-context';

/** Where a batch goes, and what becomes of an event that keeps failing. */
export interface BatchSink {
  /**
   * Applies `batch.apply`, records `batch.hold` as parked behind their partition's parked event,
   * and moves the checkpoint to `target`, in one unit of work.
   */
  commit(batch: OrderedBatch, target: Position): Promise<void>;
  /** Records the event as parked and moves the checkpoint to it, in one unit of work. */
  park(event: RecordedEvent, error: unknown, attempts: number): Promise<void>;
  /** Waits before retry `attempt` of a failing event; false gives up without parking (a stop). */
  beforeRetry(event: RecordedEvent, attempt: number, delayMs: number, error: unknown): Promise<boolean>;
}

/**
 * Commits a batch in parking order: events of a partition that has a parked event are held
 * behind it, the others applied. When a handler throws, commits the events before the failing
 * one, retries that one alone with backoff, and parks it after `policy.maxAttempts`, which holds
 * its partition from then on. Returns the position committed last: `target`, or the failing
 * event's (the caller reads on from there, so later events of its partition are held), or null
 * when a stop ended the retries before anything was committed.
 */
export async function commitWithRecovery(sink: BatchSink, events: readonly RecordedEvent[], target: Position, policy: RetryPolicy, order: ParkingOrder): Promise<Position | null> {
  let failure: ProjectionHandlerError;
  try {
    await sink.commit(order.split(events), target);
    return target;
  } catch (error) {
    if (!(error instanceof ProjectionHandlerError)) throw error;
    failure = error;
  }
  const poison = failure.event;
  let reached: Position | null = null;
  const at = events.indexOf(poison);
  if (at > 0) {
    const before = events.slice(0, at);
    reached = await commitWithRecovery(sink, before, (before[before.length - 1] as RecordedEvent).position, policy, order);
    if (reached === null) return null;
  }
  let lastError: unknown = failure.cause;
  const park = async (attempts: number): Promise<Position> => {
    await sink.park(poison, lastError, attempts);
    order.hold(order.partitionOf(poison));
    return poison.position;
  };
  // A damaged event reads the same on every attempt: park it at once.
  if (damageOf(poison) !== undefined) return park(1);
  for (let attempt = 2; attempt <= policy.maxAttempts; attempt++) {
    if (!(await sink.beforeRetry(poison, attempt, Math.max(1, backoffDelay(policy, attempt - 1)), lastError))) return reached;
    try {
      await sink.commit({ apply: [poison], hold: [] }, poison.position);
      return poison.position;
    } catch (error) {
      if (!(error instanceof ProjectionHandlerError)) throw error;
      lastError = error.cause;
    }
  }
  return park(policy.maxAttempts);
}
