import type { LoggerService } from '@nestjs/common';
import { InMemorySnapshotStore } from './in-memory-snapshot-store';
import { snapshotPolicyOf, toSnapshotState } from './snapshot-policy';
import type { Snapshot } from './snapshot-store';
import { Snapshots } from './snapshots';

const snapshot = (streamId: string, revision: bigint): Snapshot => ({ streamId, revision, eventId: `e-${revision}`, snapshotVersion: 1, state: { revision: Number(revision) } });

function quietLogger(): LoggerService & { warn: jest.Mock } {
  return { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
}

describe('Snapshots (the write queue)', () => {
  it('writes one at a time, the newest of each stream, and drain waits for all of them', async () => {
    const store = new InMemorySnapshotStore();
    const saved: bigint[] = [];
    const save = store.save.bind(store);
    store.save = async (s) => {
      saved.push(s.revision);
      await save(s);
    };
    const snapshots = new Snapshots(store, { logger: quietLogger() });
    snapshots.schedule('A-1', () => snapshot('A-1', 10n));
    snapshots.schedule('B-1', () => snapshot('B-1', 5n));
    snapshots.schedule('A-1', () => snapshot('A-1', 20n));
    expect(snapshots.waiting).toBe(2);
    expect(saved).toEqual([]);
    await snapshots.drain();
    expect(saved).toEqual([20n, 5n]);
    expect((await store.load('A-1'))?.revision).toBe(20n);
    expect(snapshots.waiting).toBe(0);
  });

  it('builds a snapshot only when it is written, and logs one that cannot be built', async () => {
    const logger = quietLogger();
    const snapshots = new Snapshots(new InMemorySnapshotStore(), { logger });
    const take = jest.fn(() => {
      throw new Error('evolve blew up');
    });
    snapshots.schedule('A-1', take);
    expect(take).not.toHaveBeenCalled();
    await snapshots.drain();
    expect(take).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/snapshot of 'A-1': evolve blew up/));
  });

  it('gives up on a write that never ends after the drain timeout, saying so', async () => {
    const store = new InMemorySnapshotStore();
    store.save = () => new Promise<void>(() => undefined);
    const logger = quietLogger();
    const snapshots = new Snapshots(store, { logger });
    snapshots.schedule('A-1', () => snapshot('A-1', 1n));
    snapshots.schedule('B-1', () => snapshot('B-1', 1n));
    await snapshots.close(50);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Gave up waiting 50 ms for snapshot writes'));
    snapshots.schedule('C-1', () => snapshot('C-1', 1n));
    expect(snapshots.waiting).toBe(0); // closed: takes no more
  });

  it('drops snapshots past its bound and warns, at most once in a while', async () => {
    const store = new InMemorySnapshotStore();
    const logger = quietLogger();
    const snapshots = new Snapshots(store, { logger, maxPending: 2 });
    for (let n = 1; n <= 5; n++) snapshots.schedule(`S-${n}`, () => snapshot(`S-${n}`, 1n));
    expect(snapshots.waiting).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining("Dropped a snapshot of 'S-3': 2 streams are already waiting"));
    await snapshots.drain();
    expect(await store.load('S-2')).toBeDefined();
    expect(await store.load('S-3')).toBeUndefined();
  });
});

describe('snapshot policy', () => {
  const decider = (snapshot: { every: number; version: number }) => ({ category: 'Thing', snapshot });

  it('needs a positive whole every and a whole version, naming the decider', () => {
    expect(snapshotPolicyOf({ category: 'Thing' })).toBeUndefined();
    expect(snapshotPolicyOf(decider({ every: 100, version: 0 }))).toMatchObject({ every: 100, version: 0 });
    for (const every of [0, -1, 1.5, Number.NaN]) {
      expect(() => snapshotPolicyOf(decider({ every, version: 1 }))).toThrow(/'Thing' decider's snapshot.every is/);
    }
    expect(() => snapshotPolicyOf(decider({ every: 10, version: -1 }))).toThrow(/snapshot.version is -1; use a whole number, 0 or more/);
  });

  it('stores plain JSON states as they are, and refuses what JSON would change', () => {
    const policy = snapshotPolicyOf<unknown>({ category: 'Thing', snapshot: { every: 1, version: 1 } });
    if (!policy) throw new Error('no policy');
    expect(toSnapshotState(policy, { a: [1, 'b', null, { c: true }] }, 'Thing')).toEqual({ a: [1, 'b', null, { c: true }] });
    class Account {
      balance = 1;
    }
    for (const state of [{ at: new Date(0) }, { n: 1n }, { m: new Map() }, new Account(), { x: Number.NaN }, { y: undefined }, undefined]) {
      expect(() => toSnapshotState(policy, state, 'Thing')).toThrow(expect.objectContaining({ code: 'SNAPSHOT_NOT_JSON' }) as Error);
    }
  });
});
