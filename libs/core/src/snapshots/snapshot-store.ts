/**
 * A decider's state folded up to `revision` of `streamId`, kept so a load can skip the
 * events before it. The event id at `revision` anchors it to that stream: a stream deleted
 * and written again, or a snapshot past the stream's head, no longer matches.
 */
export interface Snapshot {
  readonly streamId: string;
  /** The revision of the last event folded into `state`. */
  readonly revision: bigint;
  /** The id of the event at `revision`. */
  readonly eventId: string;
  /** The decider's `snapshot.version` when it was taken; snapshots of another version are ignored. */
  readonly snapshotVersion: number;
  /** The state, as a JSON value (what the decider's `serialize` gave, or the state itself). */
  readonly state: unknown;
}

/**
 * The snapshot store port: one snapshot per stream. Snapshots are a cache: losing one only
 * makes the next load read the whole stream. Every adapter passes `describeSnapshotStoreContract`.
 */
export abstract class SnapshotStore {
  /** The stream's snapshot, or undefined when it has none. Throws `UNREADABLE_SNAPSHOT` for a damaged one. */
  abstract load(streamId: string): Promise<Snapshot | undefined>;

  /**
   * Stores the stream's snapshot in place of the one it has, unless that one is of the same
   * snapshot version and a later revision: snapshots never go back in time.
   */
  abstract save(snapshot: Snapshot): Promise<void>;

  abstract close(): Promise<void>;
}

/** Whether `candidate` may replace `stored`: it is newer, or another snapshot version. */
export function replacesSnapshot(stored: Snapshot | undefined, candidate: Snapshot): boolean {
  return stored === undefined || stored.snapshotVersion !== candidate.snapshotVersion || candidate.revision >= stored.revision;
}
