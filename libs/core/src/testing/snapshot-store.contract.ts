import { randomUUID } from 'node:crypto';
import type { Snapshot, SnapshotStore } from '../snapshots/snapshot-store';

/** Makes a fresh snapshot store for one test. */
export type SnapshotStoreFactory = () => Promise<SnapshotStore>;

/** The guarantees every `SnapshotStore` adapter must give; run it once per adapter. */
export function describeSnapshotStoreContract(name: string, factory: SnapshotStoreFactory): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let store: SnapshotStore;
    const stream = (): string => `Test-${randomUUID()}`;
    const snapshot = (streamId: string, revision: bigint, state: unknown = { at: Number(revision) }, snapshotVersion = 1): Snapshot => ({
      streamId,
      revision,
      eventId: randomUUID(),
      snapshotVersion,
      state,
    });

    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it('has no snapshot of a stream it was never given one for', async () => {
      expect(await store.load(stream())).toBeUndefined();
    });

    it('gives back what it was given: revision, event id, version and a JSON state', async () => {
      const id = stream();
      const state = { owner: 'Ada Lövelace ✓', balance: 12.5, tags: ['a', 'b'], nested: { open: true, closedAt: null, list: [1, [2]] } };
      const saved = snapshot(id, 2n ** 40n + 7n, state, 3);
      await store.save(saved);
      expect(await store.load(id)).toEqual(saved);
    });

    it('keeps any JSON value as the state, not only objects', async () => {
      const [a, b, c] = [stream(), stream(), stream()];
      await store.save(snapshot(a, 0n, 42));
      await store.save(snapshot(b, 0n, ['x', 1, null]));
      await store.save(snapshot(c, 0n, 'text'));
      expect((await store.load(a))?.state).toBe(42);
      expect((await store.load(b))?.state).toEqual(['x', 1, null]);
      expect((await store.load(c))?.state).toBe('text');
    });

    it('keeps one snapshot per stream: a later revision replaces it, other streams are untouched', async () => {
      const [a, b] = [stream(), stream()];
      await store.save(snapshot(a, 99n));
      await store.save(snapshot(b, 5n));
      const later = snapshot(a, 199n);
      await store.save(later);
      expect(await store.load(a)).toEqual(later);
      expect((await store.load(b))?.revision).toBe(5n);
    });

    it('never goes back to an older revision of the same snapshot version', async () => {
      const id = stream();
      const newer = snapshot(id, 200n);
      await store.save(newer);
      await store.save(snapshot(id, 100n));
      expect(await store.load(id)).toEqual(newer);
    });

    it('takes a snapshot of another version in place of the stored one, whatever its revision', async () => {
      const id = stream();
      await store.save(snapshot(id, 200n, { v: 1 }, 1));
      const rewritten = snapshot(id, 100n, { v: 2 }, 2);
      await store.save(rewritten);
      expect(await store.load(id)).toEqual(rewritten);
    });

    it('ends with the newest of parallel saves to one stream', async () => {
      const id = stream();
      const saves = [3n, 1n, 5n, 2n, 4n].map((revision) => snapshot(id, revision * 100n));
      await Promise.all(saves.map((saved) => store.save(saved)));
      expect((await store.load(id))?.revision).toBe(500n);
    });

    it('hands out copies: changing a loaded state changes nothing stored', async () => {
      const id = stream();
      await store.save(snapshot(id, 1n, { list: [1] }));
      const loaded = await store.load(id);
      (loaded?.state as { list: number[] }).list.push(2);
      expect((await store.load(id))?.state).toEqual({ list: [1] });
    });
  });
}
