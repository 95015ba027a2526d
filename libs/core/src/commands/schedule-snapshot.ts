import type { Decider } from '../decider/decider';
import type { Event, EventToAppend } from '../events/event';
import { snapshotPolicyOf, toSnapshotState } from '../snapshots/snapshot-policy';
import type { Snapshots } from '../snapshots/snapshots';
import type { LoadedStream } from './load-stream';

/**
 * After a command appended `decided` (recorded as `appended`, ending at `nextRevision`),
 * queues a snapshot of the new state when one is due: the append crossed a multiple of the
 * decider's `every`, or at least `every` events now lie after the snapshot the load started
 * from (or after the start, when there was none). The state is folded and serialised in the
 * queue, off the command's path.
 */
export function scheduleSnapshot<Command, E extends Event, State>(
  snapshots: Snapshots,
  decider: Decider<Command, E, State>,
  streamId: string,
  loaded: LoadedStream<State>,
  decided: readonly E[],
  appended: readonly EventToAppend<E>[],
  nextRevision: bigint,
): void {
  const policy = snapshotPolicyOf(decider);
  const eventId = appended[appended.length - 1]?.id;
  if (policy === undefined || eventId === undefined) return;
  const every = BigInt(policy.every);
  const crossed = (nextRevision + 1n) / every > (loaded.revision + 1n) / every;
  const sinceSnapshot = nextRevision - (loaded.snapshotRevision ?? -1n);
  if (!crossed && sinceSnapshot < every) return;
  snapshots.schedule(streamId, () => ({
    streamId,
    revision: nextRevision,
    eventId,
    snapshotVersion: policy.version,
    state: toSnapshotState(policy, decided.reduce((state, event) => decider.evolve(state, event), loaded.state), decider.category),
  }));
}
