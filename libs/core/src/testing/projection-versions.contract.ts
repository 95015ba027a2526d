import type { DocumentStore } from '../documents/document-store';
import { newLeaseOwner } from '../projections/projection-lease';
import type { ProjectionOptions } from '../projections/projection-options';
import { describeProjectionVersions } from '../projections/projection-overview';
import { retireProjectionVersion } from '../projections/projection-retirement';
import { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from '../projections/projection-runner';
import { PROJECTIONS_COLLECTION } from '../projections/projection-versions';
import { count, eventually, quietLogger, tally, TALLY_OPTIONS, TEST_SETTINGS, type ProjectionBackend, type ProjectionStores } from './projection-test-kit';

const V2: ProjectionOptions = { ...TALLY_OPTIONS, version: 2 };

/** A saga-like registration: one subscription and the same collections for every version. */
function shared(by: string, options: ProjectionOptions): RegisteredProjection {
  return { ...tally(by, undefined, options), subscription: 'saga:tally' };
}

/**
 * Blue-green on every backend: each projection version keeps its own collections, checkpoint
 * and lease, so two versions run side by side on one store from the same log, a rollback
 * serves the old version's own read model, a lease moving never rebuilds, and an old version
 * is retired only once nothing serves it. A shared subscription (a saga) runs only its newest
 * live version and hands back on rollback.
 */
export function describeProjectionVersionsContract(name: string, open: () => Promise<ProjectionBackend>): void {
  describe(`Projection versions contract: ${name}`, () => {
    let backend: ProjectionBackend;
    const runners: ProjectionRunner[] = [];
    /** A runner as another process runs it: its own connections and owner. */
    const process = async (projection: RegisteredProjection): Promise<ProjectionRunner> => {
      const stores: ProjectionStores = await backend.connectAgain();
      const created = new ProjectionRunner(projection, stores.events, stores.documents, TEST_SETTINGS, newLeaseOwner(), quietLogger().logger);
      runners.push(created);
      created.start();
      return created;
    };
    const docs = (collection: string, store: DocumentStore = backend.documents) => store.collection(collection).find({}, { sort: { n: 1 }, limit: 10_000 });
    const byOf = async (collection: string) => (await docs(collection)).map((doc) => doc['by']);
    const head = () => backend.events.headPosition();
    const caughtUp = async (collection: string, version: number, length: number) =>
      (await docs(collection)).length === length && (await backend.documents.getCheckpoint(projectionCheckpointName('tally', version))) === (await head());
    const appendsWhile = (from: number, to: number) =>
      (async () => {
        for (let n = from; n <= to; n++) {
          await count(backend, n, n);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();

    beforeEach(async () => {
      backend = await open();
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      await backend.close();
    });

    it("keeps each version's read model in its own collections, checkpoint and lease, both following one log under appends", async () => {
      await count(backend, 1, 20);
      const v1 = await process(tally('v1'));
      const v2 = await process(tally('v2', undefined, V2));
      await appendsWhile(21, 40);
      await eventually(async () => (await caughtUp('applied', 1, 40)) && (await caughtUp('applied__v2', 2, 40)), 'both versions caught up');
      expect(new Set(await byOf('applied'))).toEqual(new Set(['v1']));
      expect(new Set(await byOf('applied__v2'))).toEqual(new Set(['v2']));
      expect([...(await docs('applied')), ...(await docs('applied__v2'))].every((doc) => doc['count'] === 1)).toBe(true);
      expect(await backend.documents.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 820 });
      expect(await backend.documents.collection('totals__v2').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 820 });
      expect(await backend.documents.collection('totals__v2').listIndexes()).toEqual([{ name: 'total_1', keys: [['total', 1]], unique: false }]);
      expect([(await v1.status()).holdsLease, (await v2.status()).holdsLease]).toEqual([true, true]);
    });

    it("serves v1's own read model on a rollback beside v2, resuming from v1's checkpoint without a rebuild", async () => {
      await count(backend, 1, 10);
      const v1 = await process(tally('v1'));
      await process(tally('v2', undefined, V2));
      await eventually(async () => (await caughtUp('applied', 1, 10)) && (await caughtUp('applied__v2', 2, 10)), 'both versions built');
      await v1.stop();
      await count(backend, 11, 15);
      await eventually(() => caughtUp('applied__v2', 2, 15), 'v2 follows alone');
      expect(await docs('applied')).toHaveLength(10);
      await process(tally('v1-again'));
      await count(backend, 16, 18);
      await eventually(() => caughtUp('applied', 1, 18), 'the restarted v1 caught up');
      expect(await byOf('applied')).toEqual([...Array<string>(10).fill('v1'), ...Array<string>(8).fill('v1-again')]);
      expect(new Set(await byOf('applied__v2'))).toEqual(new Set(['v2']));
      expect((await docs('applied')).every((doc) => doc['count'] === 1)).toBe(true);
    });

    it('counts a new version as building until its read model reaches the head, whichever instance holds its lease', async () => {
      await count(backend, 1, 12);
      await process(tally('v1'));
      await eventually(() => caughtUp('applied', 1, 12), 'v1 built');
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const building = await process(tally('v2', async (event) => (event.data['n'] === 6 ? gate : undefined), V2));
      const standby = await process(tally('v2-standby', undefined, V2));
      await eventually(async () => (await docs('applied__v2')).length > 0 || (await building.status()).state === 'catching-up', 'v2 started building');
      expect([await building.caughtUp(), await standby.caughtUp()]).toEqual([false, false]);
      release();
      await eventually(async () => (await building.caughtUp()) && (await standby.caughtUp()), 'both v2 instances see v2 caught up');
      expect(await docs('applied__v2')).toHaveLength(12);
    });

    it('moves a lease between instances of a version from its checkpoint, never rebuilding', async () => {
      await count(backend, 1, 10);
      const first = await process(tally('first', undefined, V2));
      await eventually(() => caughtUp('applied__v2', 2, 10), 'the first instance built v2');
      const second = await process(tally('second', undefined, V2));
      const appends = appendsWhile(11, 30);
      await first.stop();
      await appends;
      await eventually(() => caughtUp('applied__v2', 2, 30), 'the second instance took over');
      const by = await byOf('applied__v2');
      expect(by.slice(0, 10)).toEqual(Array<string>(10).fill('first'));
      expect(by.indexOf('second')).toBeGreaterThanOrEqual(10);
      expect(by.slice(by.indexOf('second'))).toEqual(Array<string>(30 - by.indexOf('second')).fill('second'));
      expect((await docs('applied__v2')).every((doc) => doc['count'] === 1)).toBe(true);
      expect((await second.status()).holdsLease).toBe(true);
    });

    it('lists every version present, with its lag and the instances serving it', async () => {
      await count(backend, 1, 5);
      const v1 = await process(tally('v1'));
      const v2 = await process(tally('v2', undefined, V2));
      await eventually(async () => (await caughtUp('applied', 1, 5)) && (await caughtUp('applied__v2', 2, 5)), 'both versions built');
      await eventually(async () => (await describeProjectionVersions(V2, backend.events, backend.documents, await head())).every((row) => row.servedBy.length === 1), 'both instances said they serve');
      const rows = await describeProjectionVersions(V2, backend.events, backend.documents, await head());
      expect(rows).toMatchObject([
        { name: 'tally', version: 1, inCode: false, state: 'live', lag: 0, servedBy: [v1.lease.owner], runBy: v1.lease.owner },
        { name: 'tally', version: 2, inCode: true, state: 'live', lag: 0, servedBy: [v2.lease.owner], runBy: v2.lease.owner },
      ]);
      await v1.stop();
      expect((await describeProjectionVersions(V2, backend.events, backend.documents, await head()))[0]).toMatchObject({ version: 1, state: 'stopped', servedBy: [] });
    });

    it('retires a version only once nothing serves it: its collections and checkpoint go, the other version stays', async () => {
      await count(backend, 1, 6);
      const v1 = await process(tally('v1'));
      await process(tally('v2', undefined, V2));
      await eventually(async () => (await caughtUp('applied', 1, 6)) && (await caughtUp('applied__v2', 2, 6)), 'both versions built');
      const retire = (version: number) => retireProjectionVersion(V2, version, backend.documents, newLeaseOwner(), TEST_SETTINGS.leaseTtlMs);
      await expect(retire(1)).rejects.toMatchObject({ code: 'VERSION_IN_SERVICE', message: expect.stringContaining(v1.lease.owner) as unknown });
      expect(await docs('applied')).toHaveLength(6);
      await expect(retire(3)).rejects.toMatchObject({ code: 'UNKNOWN_PROJECTION_VERSION', message: expect.stringContaining('v1, v2') as unknown });

      await v1.stop();
      expect(await retire(1)).toEqual({ projection: 'tally', version: 1, dropped: ['applied', 'totals'] });
      expect(await backend.documents.getCheckpoint(projectionCheckpointName('tally', 1))).toBeNull();
      expect(await backend.documents.listCollections()).not.toEqual(expect.arrayContaining(['applied']));
      expect(await backend.documents.collection(PROJECTIONS_COLLECTION).findOne({ _id: 'tally@v1' })).toBeNull();
      expect((await describeProjectionVersions(V2, backend.events, backend.documents, await head())).map((row) => row.version)).toEqual([2]);
      await count(backend, 7, 7);
      await eventually(() => caughtUp('applied__v2', 2, 7), 'v2 carries on');
    });

    it('runs a shared subscription (a saga) on its newest live version only, which takes over the checkpoint and hands back on rollback', async () => {
      await count(backend, 1, 5);
      const checkpoint = () => backend.documents.getCheckpoint('saga:tally');
      const v1 = await process(shared('v1', TALLY_OPTIONS));
      await eventually(async () => (await docs('applied')).length === 5, 'v1 ran the first events');
      const v2 = await process(shared('v2', V2));
      await eventually(async () => (await v2.status()).holdsLease, 'v2 took over');
      expect((await v1.status()).holdsLease).toBe(false);
      await appendsWhile(6, 10);
      await eventually(async () => (await docs('applied')).length === 10 && (await checkpoint()) === (await head()), 'v2 ran the next events');
      // Let v1 look again: it stays aside while v2 lives.
      await new Promise((resolve) => setTimeout(resolve, TEST_SETTINGS.leaseTtlMs));
      expect((await v1.status()).holdsLease).toBe(false);
      await v2.stop();
      await count(backend, 11, 12);
      await eventually(async () => (await docs('applied')).length === 12 && (await checkpoint()) === (await head()), 'v1 took back over');
      expect(await byOf('applied')).toEqual([...Array<string>(5).fill('v1'), ...Array<string>(5).fill('v2'), 'v1', 'v1']);
      expect((await docs('applied')).every((doc) => doc['count'] === 1)).toBe(true);
      expect(await backend.documents.listCollections()).not.toEqual(expect.arrayContaining(['applied__v2']));
    });
  });
}
