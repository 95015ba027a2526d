import { StreamNotFoundError } from '../errors/concurrency-errors';
import { StrataError } from '../errors/strata-error';
import type { Decider } from '../decider/decider';
import type { Event, RecordedEvent } from '../events/event';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import { snapshotPolicyOf, type ResolvedSnapshotPolicy } from '../snapshots/snapshot-policy';
import type { Snapshot } from '../snapshots/snapshot-store';
import type { Snapshots } from '../snapshots/snapshots';
import { deriveEventId } from './event-ids';

/** A stream folded into state, with what is needed to append after it. */
export interface LoadedStream<State> {
  readonly state: State;
  /** -1n when the stream does not exist. */
  readonly revision: bigint;
  readonly lastPosition: Position | undefined;
  /** The last event an earlier run of the same command id appended, if any. */
  readonly previousRun: RecordedEvent | undefined;
  /** The revision of the snapshot folding started from; undefined when the whole stream was read. */
  readonly snapshotRevision: bigint | undefined;
}

export interface LoadStreamOptions {
  /** Finds the earlier run of this command id (by the same `user`), if there is one. */
  readonly commandId?: string;
  readonly user?: string;
  /** Starts from the stream's snapshot, when the decider opts in and the snapshot is still valid. */
  readonly snapshots?: Snapshots;
}

/**
 * Reads a stream and folds it; a missing stream is the initial state at revision -1. With
 * snapshots, a valid one is the starting point and only the events from its revision on are
 * read; any doubt about it (another version, a damaged state, an anchor that no longer
 * matches, a store error) means the whole stream is read instead.
 */
export async function loadStream<Command, E extends Event, State>(
  store: EventStore,
  decider: Decider<Command, E, State>,
  streamId: string,
  options: LoadStreamOptions = {},
): Promise<LoadedStream<State>> {
  const { snapshots } = options;
  const policy = snapshots && snapshotPolicyOf(decider);
  const fromSnapshot = snapshots && policy ? await loadFromSnapshot(store, decider, streamId, options, snapshots, policy) : undefined;
  return fromSnapshot ?? foldStream(store, decider, streamId, options, decider.initialState());
}

async function loadFromSnapshot<Command, E extends Event, State>(
  store: EventStore,
  decider: Decider<Command, E, State>,
  streamId: string,
  options: LoadStreamOptions,
  snapshots: Snapshots,
  policy: ResolvedSnapshotPolicy<State>,
): Promise<LoadedStream<State> | undefined> {
  try {
    const snapshot = await snapshots.store.load(streamId);
    if (snapshot === undefined) return undefined;
    if (snapshot.snapshotVersion !== policy.version) {
      // Expected after a version bump: the next snapshot replaces it.
      snapshots.logger.debug?.(`Ignored the version ${snapshot.snapshotVersion} snapshot of '${streamId}'; '${decider.category}' snapshots are version ${policy.version} now.`);
      return undefined;
    }
    const loaded = await foldStream(store, decider, streamId, options, policy.deserialize(snapshot.state), snapshot);
    if (options.commandId === undefined || loaded.previousRun) return loaded;
    // The events before the snapshot were not read: an earlier run may be among them.
    return { ...loaded, previousRun: await findEarlierRun(store, streamId, options.commandId, options.user) };
  } catch (error) {
    snapshots.warn(`Read '${streamId}' in full instead of from its snapshot: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Folds the stream onto `state`: all of it, or from the snapshot's revision, which must hold the snapshot's event. */
async function foldStream<Command, E extends Event, State>(
  store: EventStore,
  decider: Decider<Command, E, State>,
  streamId: string,
  options: LoadStreamOptions,
  initial: State,
  anchor?: Snapshot,
): Promise<LoadedStream<State>> {
  let state = initial;
  let revision = -1n;
  let lastPosition: Position | undefined;
  let previousRun: RecordedEvent | undefined;
  let anchored = false;
  try {
    for await (const event of store.readStream<E>(streamId, anchor ? { fromRevision: anchor.revision } : {})) {
      if (isRunOf(event, options)) previousRun = event;
      if (anchor !== undefined && !anchored) {
        if (event.revision !== anchor.revision || event.id !== anchor.eventId) {
          throw mismatch(streamId, `it was taken at revision ${anchor.revision} (event ${anchor.eventId}), where the stream has event ${event.id} at revision ${event.revision}`);
        }
        anchored = true;
      } else {
        state = decider.evolve(state, { type: event.type, data: event.data } as E);
      }
      revision = event.revision;
      lastPosition = event.position;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
    if (anchor !== undefined) throw mismatch(streamId, 'the stream does not exist');
  }
  if (anchor !== undefined && !anchored) throw mismatch(streamId, `the stream has no event at its revision ${anchor.revision}`);
  return { state, revision, lastPosition, previousRun, snapshotRevision: anchor?.revision };
}

// Another user's command with the same key is not a repeat: its answer would tell them about this stream.
function isRunOf(event: RecordedEvent, { commandId, user }: LoadStreamOptions): boolean {
  return commandId !== undefined && event.metadata.commandId === commandId && event.metadata.user === user;
}

/**
 * The last event of an earlier run of `commandId` on the stream, looked up by the id of its
 * first event (event ids derive from the command id); a run's events are contiguous.
 */
async function findEarlierRun(store: EventStore, streamId: string, commandId: string, user: string | undefined): Promise<RecordedEvent | undefined> {
  const first = await store.findEvent(streamId, deriveEventId(commandId, streamId, 0));
  if (first === undefined || !isRunOf(first, { commandId, user })) return undefined;
  let last = first;
  let index = 1;
  for await (const event of store.readStream(streamId, { fromRevision: first.revision + 1n })) {
    if (event.id !== deriveEventId(commandId, streamId, index)) break;
    last = event;
    index += 1;
  }
  return last;
}

function mismatch(streamId: string, reason: string): StrataError {
  return new StrataError('SNAPSHOT_MISMATCH', `The snapshot of '${streamId}' no longer matches the stream: ${reason}.`);
}
