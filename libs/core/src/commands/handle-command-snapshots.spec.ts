import type { LoggerService } from '@nestjs/common';
import type { Decider } from '../decider/decider';
import type { Event, RecordedEvent } from '../events/event';
import type { ReadStreamOptions } from '../event-store/event-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { InMemorySnapshotStore } from '../snapshots/in-memory-snapshot-store';
import type { Snapshot } from '../snapshots/snapshot-store';
import { Snapshots } from '../snapshots/snapshots';
import { AggregateHandle } from './aggregate-handle';
import { deriveEventId } from './event-ids';
import { handleCommand, loadStream, type HandleCommandOptions } from './handle-command';

type Counted = Event<'Incremented', { by: number }>;
/** Adds `by`, `times` times over (one event each). */
type Increment = { by: number; times?: number };

const EVERY = 10;
const increments = (command: Increment): Counted[] => Array.from({ length: command.times ?? 1 }, () => ({ type: 'Incremented' as const, data: { by: command.by } }));
const counter: Decider<Increment, Counted, { total: number }> = {
  category: 'Counter',
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: increments,
  snapshot: {
    every: EVERY,
    version: 1,
    deserialize(value) {
      if (typeof value !== 'object' || value === null || typeof (value as { total?: unknown }).total !== 'number') throw new Error(`not a counter state: ${JSON.stringify(value)}`);
      return value as { total: number };
    },
  },
};
const STREAM = 'Counter-1';

/** Counts the events each read hands out, and the id lookups. */
class CountingStore extends InMemoryEventStore {
  eventsRead = 0;
  lookups = 0;
  override async *readStream<E extends Event = Event>(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent<E>> {
    for await (const event of super.readStream<E>(streamId, options)) {
      this.eventsRead++;
      yield event;
    }
  }
  override findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    this.lookups++;
    return super.findEvent<E>(streamId, eventId);
  }
}

function quietLogger(): LoggerService & { warn: jest.Mock; debug: jest.Mock } {
  return { log: jest.fn(), error: jest.fn(), warn: jest.fn(), debug: jest.fn() };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('handleCommand with snapshots', () => {
  let store: CountingStore;
  let snapshotStore: InMemorySnapshotStore;
  let logger: ReturnType<typeof quietLogger>;
  let snapshots: Snapshots;
  const run = (command: Increment, options: HandleCommandOptions = {}) => handleCommand(store, counter, STREAM, command, { snapshots, ...options });
  /** Runs `count` commands of one event each, letting each queued snapshot be written. */
  const fill = async (count: number): Promise<void> => {
    for (let n = 0; n < count; n++) {
      await run({ by: 1 });
      await snapshots.drain();
    }
  };
  const load = () => loadStream(store, counter, STREAM, { snapshots });

  beforeEach(() => {
    store = new CountingStore();
    snapshotStore = new InMemorySnapshotStore();
    logger = quietLogger();
    snapshots = new Snapshots(snapshotStore, { logger });
  });

  it('snapshots every N events, and loads the snapshot plus the events after it', async () => {
    await fill(25);
    expect(await snapshotStore.load(STREAM)).toMatchObject({ revision: 19n, snapshotVersion: 1, state: { total: 20 } });

    store.eventsRead = 0;
    const loaded = await load();
    expect(loaded).toMatchObject({ state: { total: 25 }, revision: 24n, snapshotRevision: 19n });
    expect(store.eventsRead).toBe(6); // the snapshot's own event, to check it, and the 5 after it
    const [last] = await read({ direction: 'backwards', maxCount: 1 });
    expect(loaded.lastPosition).toBe(last?.position);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('decides on the state from the snapshot exactly as on the full stream', async () => {
    await fill(12);
    const result = await run({ by: 5, times: 3 });
    expect(result).toMatchObject({ revision: 14n, repeated: false });
    const full = await loadStream(store, counter, STREAM);
    expect(full).toMatchObject({ state: { total: 27 }, revision: 14n, snapshotRevision: undefined });
    expect((await load()).state).toEqual(full.state);
  });

  it('ignores a snapshot of another version, and the next one replaces it', async () => {
    await fill(12);
    const stale = (await snapshotStore.load(STREAM)) as Snapshot;
    await snapshotStore.save({ ...stale, snapshotVersion: 0, state: { total: 1000 } });
    store.eventsRead = 0;
    expect(await load()).toMatchObject({ state: { total: 12 }, snapshotRevision: undefined });
    expect(store.eventsRead).toBe(12);
    expect(logger.debug).toHaveBeenCalledWith(expect.stringContaining('version 0 snapshot'));

    await fill(1); // 13 events since no valid snapshot: one is due
    expect(await snapshotStore.load(STREAM)).toMatchObject({ revision: 12n, snapshotVersion: 1, state: { total: 13 } });
  });

  it('reads the whole stream when the snapshot state is damaged', async () => {
    await fill(12);
    const snapshot = (await snapshotStore.load(STREAM)) as Snapshot;
    await snapshotStore.save({ ...snapshot, state: 'garbage' });
    expect(await load()).toMatchObject({ state: { total: 12 }, snapshotRevision: undefined });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('not a counter state'));
  });

  it.each([
    ['its event id is not the one at its revision', (s: Snapshot): Snapshot => ({ ...s, eventId: 'another-event' })],
    ['it lies past the head of the stream', (s: Snapshot): Snapshot => ({ ...s, revision: 500n })],
    ['its stream no longer exists', (s: Snapshot): Snapshot => ({ ...s, streamId: 'Counter-2' })],
  ])('reads the whole stream when %s', async (_case, damage) => {
    await fill(12);
    const wrong = damage((await snapshotStore.load(STREAM)) as Snapshot);
    await snapshotStore.save({ ...wrong, state: { total: 1000 } });
    const loaded = await loadStream(store, counter, wrong.streamId, { snapshots });
    expect(loaded.state.total).toBe(wrong.streamId === STREAM ? 12 : 0);
    expect(loaded.snapshotRevision).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('no longer matches'));
  });

  it('reads the whole stream when the snapshot store fails', async () => {
    await fill(12);
    snapshotStore.load = () => Promise.reject(new Error('disk on fire'));
    expect(await load()).toMatchObject({ state: { total: 12 }, snapshotRevision: undefined });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('disk on fire'));
  });

  it('answers the command before the snapshot is written, and a save that never ends blocks nothing', async () => {
    const saves: Snapshot[] = [];
    snapshotStore.save = (snapshot) => {
      saves.push(snapshot);
      return new Promise<void>(() => undefined);
    };
    for (let n = 0; n < EVERY; n++) await run({ by: 1 });
    expect(saves).toEqual([]); // the tenth command, which made one due, has answered already
    await nextTurn();
    expect(saves.map((s) => [s.revision, s.state])).toEqual([[9n, { total: 10 }]]);

    for (let n = 0; n < 3 * EVERY; n++) await run({ by: 1 });
    expect((await load()).state.total).toBe(40);
    expect(saves).toHaveLength(1); // the queue waits behind the hung save, the commands do not
  });

  it('logs a failing snapshot write and never fails the command', async () => {
    snapshotStore.save = () => Promise.reject(new Error('read-only file system'));
    for (let n = 0; n < EVERY; n++) await expect(run({ by: 1 })).resolves.toMatchObject({ repeated: false });
    await snapshots.drain();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/snapshot of 'Counter-1'.*read-only file system/));
  });

  it('repeats an idempotent command whose events lie before the snapshot with its first result', async () => {
    const first = await run({ by: 2, times: 3 }, { commandId: 'key-1', user: 'ada' });
    expect(first.revision).toBe(2n);
    await fill(20);
    expect((await snapshotStore.load(STREAM))?.revision).toBe(19n);

    store.eventsRead = 0;
    const again = await run({ by: 2, times: 3 }, { commandId: 'key-1', user: 'ada' });
    expect(again).toEqual({ ...first, repeated: true });
    expect(store.lookups).toBe(1);
    expect(store.eventsRead).toBeLessThan(10); // the tail, and the run's own events: never the whole stream
    expect((await load()).revision).toBe(22n);
  });

  it('does not take another user\'s command with the same key for a repeat', async () => {
    await run({ by: 1 }, { commandId: 'key-1', user: 'ada' });
    await fill(20);
    const loaded = await loadStream(store, counter, STREAM, { snapshots, commandId: 'key-1', user: 'bob' });
    expect(loaded.snapshotRevision).toBeDefined();
    expect(loaded.previousRun).toBeUndefined();
    const own = await loadStream(store, counter, STREAM, { snapshots, commandId: 'key-1', user: 'ada' });
    expect(own.previousRun?.id).toBe(deriveEventId('key-1', STREAM, 0));
  });

  it('finds a repeat among the events after the snapshot without a lookup', async () => {
    await fill(12);
    const first = await run({ by: 1 }, { commandId: 'key-2' });
    store.lookups = 0;
    const again = await run({ by: 1 }, { commandId: 'key-2' });
    expect(again).toEqual({ ...first, repeated: true });
    expect(store.lookups).toBe(0);
  });

  it('refuses a state that does not survive JSON, saying what to do, and the command still succeeds', async () => {
    const dated: Decider<Increment, Counted, { at: Date }> = {
      category: 'Dated',
      initialState: () => ({ at: new Date(0) }),
      evolve: (_state, event) => ({ at: new Date(event.data.by) }),
      decide: increments,
      snapshot: { every: 1, version: 1 },
    };
    await expect(handleCommand(store, dated, 'Dated-1', { by: 5 }, { snapshots })).resolves.toMatchObject({ revision: 0n });
    await snapshots.drain();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/'Dated' state cannot be snapshotted as JSON.*serialize\/deserialize/));
    expect(await snapshotStore.load('Dated-1')).toBeUndefined();
  });

  it('stores a state through the decider\'s serialize and loads it through its deserialize', async () => {
    const big: Decider<Increment, Counted, bigint> = {
      category: 'Big',
      initialState: () => 0n,
      evolve: (state, event) => state + BigInt(event.data.by),
      decide: increments,
      snapshot: { every: 2, version: 1, serialize: (state) => state.toString(), deserialize: (value) => BigInt(value as string) },
    };
    for (let n = 0; n < 5; n++) {
      await handleCommand(store, big, 'Big-1', { by: 2 ** 52 }, { snapshots });
      await snapshots.drain();
    }
    expect((await snapshotStore.load('Big-1'))?.state).toBe((2n ** 52n * 4n).toString());
    expect(await loadStream(store, big, 'Big-1', { snapshots })).toMatchObject({ state: 2n ** 52n * 5n, snapshotRevision: 3n });
  });

  it('AggregateHandle loads and handles through its snapshots, and checks the policy up front', async () => {
    const handle = new AggregateHandle(store, counter, undefined, snapshots);
    for (let n = 0; n < 11; n++) {
      await handle.handle('1', { by: 1 });
      await snapshots.drain();
    }
    expect(await handle.load('1')).toMatchObject({ state: { total: 11 }, snapshotRevision: 9n });
    expect(() => new AggregateHandle(store, { ...counter, snapshot: { every: 0, version: 1 } }, undefined, snapshots)).toThrow(
      expect.objectContaining({ code: 'INVALID_SNAPSHOT_POLICY', message: expect.stringContaining("'Counter' decider's snapshot.every is 0") as string }) as Error,
    );
  });

  async function read(options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(STREAM, options)) events.push(event);
    return events;
  }
});
