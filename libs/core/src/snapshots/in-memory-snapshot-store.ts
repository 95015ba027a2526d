import { replacesSnapshot, SnapshotStore, type Snapshot } from './snapshot-store';

/** Snapshots in process memory, for unit tests; it follows the same contract as the durable ones. */
export class InMemorySnapshotStore extends SnapshotStore {
  private readonly snapshots = new Map<string, Snapshot>();

  override async load(streamId: string): Promise<Snapshot | undefined> {
    await Promise.resolve();
    const snapshot = this.snapshots.get(streamId);
    return snapshot && copy(snapshot);
  }

  override async save(snapshot: Snapshot): Promise<void> {
    await Promise.resolve();
    if (replacesSnapshot(this.snapshots.get(snapshot.streamId), snapshot)) this.snapshots.set(snapshot.streamId, copy(snapshot));
  }

  override async close(): Promise<void> {
    await Promise.resolve();
  }
}

// Callers get their own copies, as they would from a durable store.
function copy(snapshot: Snapshot): Snapshot {
  return { ...snapshot, state: JSON.parse(JSON.stringify(snapshot.state)) as unknown };
}
