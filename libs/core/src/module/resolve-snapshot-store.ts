import { SnapshotStore } from '../snapshots/snapshot-store';
import type { OpenedEventStore } from './resolve-event-store';
import type { StrataModuleOptions } from './strata-options';

/**
 * The snapshot store for deciders that opt in: `snapshotStore` when given (false: none), else
 * the one the event store's adapter keeps next to its events, if it keeps any.
 */
export async function resolveSnapshotStore(options: StrataModuleOptions, events: OpenedEventStore): Promise<SnapshotStore | undefined> {
  if (options.snapshotStore instanceof SnapshotStore) return options.snapshotStore;
  if (options.snapshotStore === false || events.adapter === undefined) return undefined;
  const { adapter, store, env } = events.adapter;
  return adapter.createSnapshotStore?.(env, store);
}
