import type { Position } from '../event-store/position';
import { ParkedEvents } from '../projections/parked-events';
import { newLeaseOwner } from '../projections/projection-lease';
import type { ProjectionOptions } from '../projections/projection-options';
import { describeProjectionVersions } from '../projections/projection-overview';
import { ProjectionReplay, type ReplayRunOptions } from '../projections/projection-replay';
import { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from '../projections/projection-runner';
import { PROJECTIONS_COLLECTION } from '../projections/projection-versions';
import type { ReplayProgress } from '../projections/replay-progress';
import { count, eventually, quietLogger, tally, TALLY_OPTIONS, TEST_SETTINGS, type ProjectionBackend, type ProjectionStores, type Step } from './projection-test-kit';

/** A step that blocks at event `n` until `release` is called; `reached` tells when it got there. */
function gateAt(n: number): { step: Step; release: () => void; reached: () => boolean } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached = false;
  return {
    release,
    reached: () => reached,
    step: async (event) => {
      if (event.data['n'] === n) {
        reached = true;
        await gate;
      }
    },
  };
}

const V2: ProjectionOptions = { ...TALLY_OPTIONS, version: 2 };

/**
 * Shadow rebuilds on every backend: a replay rebuilds beside the live read model, swaps it in
 * atomically with the checkpoint and version, takes over from a running runner without losing
 * or doubling events, survives being stopped, and a bumped version rebuilds on start.
 */
export function describeProjectionReplayContract(name: string, open: () => Promise<ProjectionBackend>): void {
  describe(`Projection replay contract: ${name}`, () => {
    let backend: ProjectionBackend;
    const runners: ProjectionRunner[] = [];
    const runner = (projection: RegisteredProjection, stores: ProjectionStores = backend): ProjectionRunner => {
      const created = new ProjectionRunner(projection, stores.events, stores.documents, TEST_SETTINGS, newLeaseOwner(), quietLogger().logger);
      runners.push(created);
      return created;
    };
    const replay = (projection: RegisteredProjection, options: ReplayRunOptions = {}, stores: ProjectionStores = backend) =>
      new ProjectionReplay(projection, stores.events, stores.documents, TEST_SETTINGS, newLeaseOwner(), { logger: quietLogger().logger, ...options });
    const applied = () => backend.documents.collection('applied').find({}, { sort: { n: 1 }, limit: 10_000 });
    const checkpoint = () => backend.documents.getCheckpoint(projectionCheckpointName('tally'));
    const storedVersion = async () => (await backend.documents.collection(PROJECTIONS_COLLECTION).findOne({ projection: 'tally' }))?.['version'];
    const writers = async () => new Set((await applied()).map((doc) => doc['by']));
    const caughtUp = async (length: number) => (await applied()).length === length && (await checkpoint()) === (await backend.events.headPosition());
    /** Appends events 1..n and lets a runner build the read model from them, then stops it. */
    const builtBy = async (projection: RegisteredProjection, n: number): Promise<void> => {
      await count(backend, 1, n);
      const built = runner(projection);
      built.start();
      await eventually(() => caughtUp(n), `the runner built the read model of ${n} events`);
      await built.stop();
    };

    beforeEach(async () => {
      backend = await open();
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      await backend.close();
    });

    it('rebuilds from the start into shadows and swaps them in with the checkpoint and version', async () => {
      await builtBy(tally('live'), 25);
      const progress: ReplayProgress[] = [];
      const result = await replay(tally('replay'), { onProgress: (report) => progress.push(report) }).run();
      const head = (await backend.events.headPosition()) as Position;
      expect(result).toMatchObject({ projection: 'tally', version: 1, checkpoint: head, parked: 0 });
      expect(await writers()).toEqual(new Set(['replay']));
      expect((await applied()).map((doc) => [doc['n'], doc['count']])).toEqual(Array.from({ length: 25 }, (_, at) => [at + 1, 1]));
      expect(await backend.documents.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 325 });
      expect(await backend.documents.collection('totals').listIndexes()).toEqual([{ name: 'total_1', keys: [['total', 1]], unique: false }]);
      expect(await checkpoint()).toBe(head);
      expect(await storedVersion()).toBe(1);
      expect((await backend.documents.listCollections()).filter((collection) => collection.endsWith('__shadow'))).toEqual([]);
      expect(progress.map((report) => report.phase)).toContain('building');
      expect(progress[progress.length - 1]).toMatchObject({ phase: 'swapped', done: 25, total: 25 });
    });

    it('serves the live read model untouched while it builds, and a stopped replay changes nothing', async () => {
      await builtBy(tally('live'), 20);
      const before = await checkpoint();
      const gate = gateAt(12);
      let stop = false;
      const stopped = replay(tally('stopped', gate.step), { shouldStop: () => stop }).run();
      await eventually(gate.reached, 'the replay is mid-way');
      expect(await writers()).toEqual(new Set(['live']));
      expect((await backend.documents.collection('applied__shadow').countDocuments()) > 0).toBe(true);
      stop = true;
      gate.release();
      await expect(stopped).rejects.toMatchObject({ code: 'REPLAY_STOPPED' });
      expect(await writers()).toEqual(new Set(['live']));
      expect(await checkpoint()).toBe(before);

      await replay(tally('again')).run();
      expect(await writers()).toEqual(new Set(['again']));
      expect((await applied()).every((doc) => doc['count'] === 1)).toBe(true);
      expect(await applied()).toHaveLength(20);
    });

    it('takes over from a running runner at the end; it resumes from the new checkpoint, losing and doubling nothing', async () => {
      await count(backend, 1, 30);
      const live = runner(tally('live'));
      live.start();
      await eventually(() => caughtUp(30), 'the runner built the read model');
      let appending = true;
      const appends = (async () => {
        // Bounded, so a store whose replay is slower than its appends (a network store) still
        // reaches a head that holds still; appends during the replay are what the test is about.
        for (let n = 31; n <= 45 || (appending && n <= 400); n++) {
          await count(backend, n, n);
          // A macrotask between appends, as between requests, so the replay gets its turns.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      // From another connection, as the CLI replays from another process.
      const result = await replay(tally('replay'), {}, await backend.connectAgain()).run();
      appending = false;
      await appends;
      const total = backend.events.eventsBetween(null, await backend.events.headPosition()) as number;
      await eventually(() => caughtUp(total), 'the runner resumed after the swap and caught up');
      const docs = await applied();
      expect(docs.map((doc) => doc['n'])).toEqual(Array.from({ length: total }, (_, at) => at + 1));
      expect(docs.every((doc) => doc['count'] === 1)).toBe(true);
      const replayed = docs.filter((doc) => doc['by'] === 'replay').map((doc) => doc['_id'] as Position);
      expect(replayed[replayed.length - 1]).toBe(result.checkpoint);
      expect(await backend.documents.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: (total * (total + 1)) / 2 });
      await eventually(async () => (await live.status()).holdsLease, 'the runner holds the lease again');
    });

    it('refuses a second replay of the same projection while one runs', async () => {
      await count(backend, 1, 10);
      const gate = gateAt(3);
      const first = replay(tally('first', gate.step)).run();
      await eventually(gate.reached, 'the first replay is mid-way');
      await expect(replay(tally('second')).run()).rejects.toMatchObject({ code: 'REPLAY_IN_PROGRESS', message: expect.stringContaining("'tally'") as unknown });
      gate.release();
      await first;
      expect(await writers()).toEqual(new Set(['first']));
    });

    it("parks what keeps failing during the rebuild, in place of the projection's parked events at the swap", async () => {
      await count(backend, 1, 6);
      const live = runner(tally('live', (event) => {
        if (event.data['n'] === 4) throw new Error('live fails on 4');
      }));
      live.start();
      await eventually(async () => (await new ParkedEvents(backend.documents).count(projectionCheckpointName('tally'))) === 1, 'the runner parked 4');
      await live.stop();
      const result = await replay(tally('replay', (event) => {
        if (event.data['n'] === 5) throw new Error('replay fails on 5');
      })).run();
      expect(result.parked).toBe(1);
      const parked = await new ParkedEvents(backend.documents).list();
      expect(parked).toEqual([expect.objectContaining({ subscription: projectionCheckpointName('tally'), error: 'Error: replay fails on 5' })]);
      expect(parked[0]?._id).toBe(`${projectionCheckpointName('tally')}@${parked[0]?.position}`);
      expect((await applied()).map((doc) => doc['n'])).toEqual([1, 2, 3, 4, 6]);
    });

    it("rebuilds only its own version: a v2 replay swaps v2's collections and leaves v1's as they are", async () => {
      await builtBy(tally('v1'), 12);
      const v2 = runner(tally('v2', undefined, V2));
      v2.start();
      await eventually(async () => (await backend.documents.collection('applied__v2').countDocuments()) === 12, 'v2 built its own read model');
      await v2.stop();
      const result = await replay(tally('v2-replayed', undefined, V2)).run();
      expect(result).toMatchObject({ version: 2, checkpoint: await backend.events.headPosition() });
      expect(await writers()).toEqual(new Set(['v1']));
      const rebuilt = await backend.documents.collection('applied__v2').find({}, { limit: 100 });
      expect(rebuilt).toHaveLength(12);
      expect(rebuilt.every((doc) => doc['by'] === 'v2-replayed' && doc['count'] === 1)).toBe(true);
      expect(await backend.documents.getCheckpoint(projectionCheckpointName('tally', 2))).toBe(result.checkpoint);
      expect((await backend.documents.listCollections()).filter((collection) => collection.endsWith('__shadow'))).toEqual([]);
    });

    it('lets a handler query its shadows by an indexed field, seeing every earlier batch, and indexes them before the swap', async () => {
      await count(backend, 1, 30);
      const options: ProjectionOptions = {
        name: 'streams',
        version: 1,
        events: ['Counted'],
        collections: { seen: { indexes: [{ keys: { stream: 1 } }] } },
      };
      const projection: RegisteredProjection = {
        options,
        handler: {
          async handle(event, ctx) {
            const seen = ctx.collection('seen');
            const before = await seen.countDocuments({ stream: event.streamId });
            await seen.replaceOne({ _id: event.position }, { stream: event.streamId, n: event.data['n'], before }, { upsert: true });
          },
        },
      };
      await replay(projection).run();
      const docs = await backend.documents.collection('seen').find({}, { sort: { n: 1 } });
      expect(docs.map((doc) => doc['before'])).toEqual(Array.from({ length: 30 }, (_, at) => Math.floor(at / 3)));
      expect(await backend.documents.collection('seen').listIndexes()).toEqual([{ name: 'stream_1', keys: [['stream', 1]], unique: false }]);
    });

    it('adopts a read model built before versions had their own as version 1, and follows on without a rebuild', async () => {
      await builtBy(tally('old'), 5);
      // What the code before per-version read models left: unversioned names and a record keyed by name only.
      await backend.documents.collection(PROJECTIONS_COLLECTION).deleteMany({});
      await backend.documents.collection(PROJECTIONS_COLLECTION).insertOne({ _id: 'tally', version: 1, recordedAt: '2026-01-01T00:00:00.000Z' });
      expect((await describeProjectionVersions(TALLY_OPTIONS, backend.events, backend.documents, null)).map((row) => row.version)).toEqual([1]);
      runner(tally('again')).start();
      await eventually(async () => (await storedVersion()) === 1, 'version 1 is recorded');
      await count(backend, 6, 6);
      await eventually(() => caughtUp(6), 'it follows on without a rebuild');
      expect((await applied()).map((doc) => doc['by'])).toEqual(['old', 'old', 'old', 'old', 'old', 'again']);
    });
  });
}
