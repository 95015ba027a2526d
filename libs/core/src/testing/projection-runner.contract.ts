import type { DocumentTransaction } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import { ParkedEvents, type ParkedEvent } from '../projections/parked-events';
import { newLeaseOwner } from '../projections/projection-lease';
import { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from '../projections/projection-runner';
import type { ProjectionSettings } from '../projections/projection-settings';
import { count, eventually, quietLogger, tally, TALLY_OPTIONS, TEST_SETTINGS as SETTINGS, type ProjectionBackend, type ProjectionStores } from './projection-test-kit';

export type { ProjectionBackend, ProjectionStores } from './projection-test-kit';

/**
 * The guarantees every pairing of event store and document store gives projections: catch-up
 * and live follow, checkpoints committed with the writes, retry then park, one writer per
 * projection through the lease, and graceful stop. Run it once per backend.
 */
export function describeProjectionRunnerContract(name: string, open: () => Promise<ProjectionBackend>): void {
  describe(`Projection runner contract: ${name}`, () => {
    let backend: ProjectionBackend;
    const runners: ProjectionRunner[] = [];
    const runner = (stores: ProjectionStores, projection = tally('a'), settings: Partial<ProjectionSettings> = {}, heard = quietLogger()): ProjectionRunner => {
      const created = new ProjectionRunner(projection, stores.events, stores.documents, { ...SETTINGS, ...settings }, newLeaseOwner(), heard.logger);
      runners.push(created);
      return created;
    };
    const applied = (stores: ProjectionStores = backend) => stores.documents.collection('applied').find({}, { sort: { n: 1 } });
    const checkpoint = (stores: ProjectionStores = backend) => stores.documents.getCheckpoint(projectionCheckpointName('tally'));

    beforeEach(async () => {
      backend = await open();
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      await backend.close();
    });

    it('catches up from the start, then follows live appends, each applied once', async () => {
      await count(backend, 1, 25);
      const subject = runner(backend);
      subject.start();
      await eventually(async () => (await applied()).length === 25, '25 events are applied');
      await count(backend, 26, 30);
      await eventually(async () => (await applied()).length === 30, 'live appends are applied');
      const docs = await applied();
      expect(docs.map((doc) => doc['count'])).toEqual(Array.from({ length: 30 }, () => 1));
      expect(await backend.documents.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 465 });
      expect(await checkpoint()).toBe(await backend.events.headPosition());
      const status = await subject.status();
      expect(status).toMatchObject({ name: 'tally', version: 1, state: 'live', lag: 0, parked: 0, holdsLease: true, lastError: null });
    });

    it('declares the indexes the projection lists before it writes', async () => {
      runner(backend).start();
      await count(backend, 1, 1);
      await eventually(async () => (await applied()).length === 1, 'the event is applied');
      expect(await backend.documents.collection('totals').listIndexes()).toEqual([{ name: 'total_1', keys: [['total', 1]], unique: false }]);
    });

    it('resumes from the committed checkpoint after a stop, without applying anything twice', async () => {
      await count(backend, 1, 12);
      const first = runner(backend);
      first.start();
      await eventually(async () => (await applied()).length === 12, 'the first 12 are applied');
      await first.stop();
      expect((await first.status()).state).toBe('stopped');
      await count(backend, 13, 20);
      runner(backend).start();
      await eventually(async () => (await applied()).length === 20, 'the rest are applied');
      expect((await applied()).every((doc) => doc['count'] === 1)).toBe(true);
    });

    it('moves the checkpoint past events it does not handle, so waiting on their position ends', async () => {
      await count(backend, 1, 3, 'Ignored');
      const subject = runner(backend);
      subject.start();
      const head = (await backend.events.headPosition()) as NonNullable<Awaited<ReturnType<EventStore['headPosition']>>>;
      expect(await subject.waitFor(head, Date.now() + 5_000)).toBe(true);
      expect(await checkpoint()).toBe(head);
      expect(await applied()).toEqual([]);
    });

    it('applies an event behind a run of twice the batch size of events it does not handle', async () => {
      // A store that filters after cutting a page answers a page of these with no event and a next position.
      await count(backend, 1, 2 * SETTINGS.batchSize, 'Ignored');
      await count(backend, 2 * SETTINGS.batchSize + 1, 2 * SETTINGS.batchSize + 1);
      runner(backend).start();
      await eventually(async () => (await applied()).length === 1, 'the counted event behind the ignored ones is applied');
      expect(await checkpoint()).toBe(await backend.events.headPosition());
    });

    it('applies a batch once when its commit went through but the answer was lost (an unknown commit result)', async () => {
      await count(backend, 1, 5);
      let lostAnswers = 1;
      // The store commits the unit, then the caller hears an error, as after MongoDB's UnknownTransactionCommitResult.
      const documents = new Proxy(backend.documents, {
        get(target, property, receiver) {
          if (property !== 'transaction') return Reflect.get(target, property, receiver) as unknown;
          return async <R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> => {
            let checkpointed = false;
            const result = await target.transaction((tx) => {
              const setCheckpoint = tx.setCheckpoint.bind(tx);
              return work(Object.assign(Object.create(tx) as DocumentTransaction, { setCheckpoint: (name: string, at: Position) => ((checkpointed = true), setCheckpoint(name, at)) }));
            });
            if (checkpointed && lostAnswers > 0) {
              lostAnswers -= 1;
              throw new StrataError('READ_STORE_UNAVAILABLE', 'the commit was sent but its result is unknown');
            }
            return result;
          };
        },
      });
      runner({ events: backend.events, documents }).start();
      await eventually(async () => (await applied()).length === 5 && lostAnswers === 0, 'the batch is applied and its answer lost');
      await count(backend, 6, 6);
      await eventually(async () => (await applied()).length === 6, 'the next event is applied');
      expect((await applied()).map((doc) => doc['count'])).toEqual([1, 1, 1, 1, 1, 1]);
      expect(await backend.documents.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 21 });
    });

    it('wakes on an append in this process sooner than its poll interval', async () => {
      const subject = runner(backend, tally('a'), { pollIntervalMs: 60_000 });
      subject.start();
      await eventually(async () => (await subject.status()).state === 'live', 'the runner is live');
      const { position } = await backend.events.appendToStream('Counter-x', [{ type: 'Counted', data: { n: 1 } }]);
      expect(await subject.waitFor(position, Date.now() + 5_000)).toBe(true);
    });

    it('answers false when a position is not reached before the deadline', async () => {
      const subject = runner(backend);
      await count(backend, 1, 1);
      const head = await backend.events.headPosition();
      // Not started: nothing will move the checkpoint.
      expect(await subject.waitFor(head as NonNullable<typeof head>, Date.now() + 50)).toBe(false);
    });

    it('retries a failing event, then parks it with the error and keeps up with later events, holding those of its stream behind it', async () => {
      let attempts = 0;
      const poisoned = tally('a', (event) => {
        if (event.data['n'] === 4) {
          attempts += 1;
          throw new Error('cannot apply 4');
        }
      });
      const heard = quietLogger();
      await count(backend, 1, 6);
      const subject = runner(backend, poisoned, {}, heard);
      subject.start();
      await eventually(async () => (await applied()).length === 5, 'all but the poison event are applied');
      await count(backend, 7, 9);
      await eventually(async () => (await applied()).length === 7, 'later events of other streams are applied');
      expect(attempts).toBe(3);
      // 7 is of Counter-1, as 4 is: it waits behind 4.
      expect((await applied()).map((doc) => doc['n'])).toEqual([1, 2, 3, 5, 6, 8, 9]);
      const parked = await new ParkedEvents(backend.documents).list();
      expect(parked).toEqual([
        expect.objectContaining<Partial<ParkedEvent>>({
          subscription: projectionCheckpointName('tally'),
          eventType: 'Counted',
          streamId: 'Counter-1',
          partition: 'Counter-1',
          held: false,
          error: 'Error: cannot apply 4',
          attempts: 3,
        }),
        expect.objectContaining<Partial<ParkedEvent>>({ streamId: 'Counter-1', partition: 'Counter-1', held: true, attempts: 0 }),
      ]);
      await eventually(async () => (await subject.status()).lag === 0, 'the lag is back to 0');
      expect(await subject.status()).toMatchObject({ parked: 2, lag: 0, state: 'live', lastError: expect.stringContaining('cannot apply 4') as unknown });
      expect(heard.lines.some((line) => /parked Counted at \w+ \(stream Counter-1\) after 3 attempts/.test(line))).toBe(true);
    });

    it('never wedges on a write the store refused and the handler caught: that event is applied without it or parked, the rest once', async () => {
      // A MongoDB transaction dies with the refused write, so the event has to be parked there; elsewhere it applies.
      const caught: unknown[] = [];
      const forgiving: RegisteredProjection = {
        options: TALLY_OPTIONS,
        handler: {
          async handle(event, ctx) {
            const carryOn = (write: Promise<unknown>) => write.catch((error: unknown) => void caught.push(error));
            if (event.data['n'] === 4) await carryOn(ctx.collection('totals').updateOne({ _id: 'label' }, { $inc: { text: 1 } }));
            await carryOn(ctx.collection('applied').updateOne({ _id: event.position }, { $inc: { count: 1 }, $set: { n: event.data['n'] } }, { upsert: true }));
          },
        },
      };
      await backend.documents.collection('totals').insertOne({ _id: 'label', text: 'not a number' });
      await count(backend, 1, 6);
      const subject = runner(backend, forgiving);
      subject.start();
      await eventually(async () => (await checkpoint()) === (await backend.events.headPosition()), 'the checkpoint reaches the head');
      await count(backend, 7, 8);
      await eventually(async () => (await checkpoint()) === (await backend.events.headPosition()), 'later events are followed');
      const parked = await new ParkedEvents(backend.documents).list();
      expect(parked.map((event) => [event.streamId, event.attempts])).toEqual(parked.length === 0 ? [] : [['Counter-1', SETTINGS.maxAttempts]]);
      const expected = [1, 2, 3, 4, 5, 6, 7, 8].filter((n) => n !== 4 || parked.length === 0);
      expect((await applied()).map((doc) => [doc['n'], doc['count']])).toEqual(expected.map((n) => [n, 1]));
      // Where the refusal aborted the unit, the write after it in each attempt is refused with it too.
      expect(caught.length).toBe(parked.length === 0 ? 1 : 2 * SETTINGS.maxAttempts);
      expect(caught.every((error) => StrataError.isStrataError(error) && error.code === 'INVALID_UPDATE')).toBe(true);
      expect(await backend.documents.collection('totals').findOne({ _id: 'label' })).toEqual({ _id: 'label', text: 'not a number' });
      expect(await subject.status()).toMatchObject({ state: 'live', parked: parked.length });
    });

    it('applies an event that fails only at first, without parking it', async () => {
      let failures = 2;
      const flaky = tally('a', (event) => {
        if (event.data['n'] === 2 && failures > 0) {
          failures -= 1;
          throw new Error('not yet');
        }
      });
      await count(backend, 1, 3);
      const subject = runner(backend, flaky);
      subject.start();
      await eventually(async () => (await applied()).length === 3, 'all three are applied');
      expect(await subject.status()).toMatchObject({ parked: 0 });
      expect((await applied()).every((doc) => doc['count'] === 1)).toBe(true);
    });

    it('rolls back a batch whose handler failed part-way, so no half-applied event remains', async () => {
      const halfway = tally('a', async (event, ctx) => {
        if (event.data['n'] === 3) {
          await ctx.collection('totals').updateOne({ _id: 'half' }, { $inc: { total: 1 } }, { upsert: true });
          throw new Error('fails after writing');
        }
      });
      await count(backend, 1, 4);
      runner(backend, halfway, { maxAttempts: 2 }).start();
      await eventually(async () => (await applied()).length === 3, 'the events around the poison are applied');
      expect(await backend.documents.collection('totals').findOne({ _id: 'half' })).toBeNull();
    });

    it('lets one runner hold the lease; the other stands by, then takes over when it stops', async () => {
      const other = await backend.connectAgain();
      await count(backend, 1, 5);
      const first = runner(backend, tally('first'));
      first.start();
      await eventually(async () => (await applied()).length === 5, 'the first runner applied the backlog');
      const second = runner(other, tally('second'));
      second.start();
      await eventually(async () => (await second.status()).state === 'standby', 'the second runner stands by');
      await count(backend, 6, 8);
      await eventually(async () => (await applied()).length === 8, 'the first runner follows');
      expect(new Set((await applied()).map((doc) => doc['by']))).toEqual(new Set(['first']));
      await first.stop();
      await count(backend, 9, 10);
      await eventually(async () => (await applied(other)).length === 10, 'the second runner takes over');
      const docs = await applied(other);
      expect(docs.filter((doc) => doc['by'] === 'second').map((doc) => doc['n'])).toEqual([9, 10]);
      expect(docs.every((doc) => doc['count'] === 1)).toBe(true);
    });

    it('never lets a runner whose lease expired commit beside the one that took it over', async () => {
      const other = await backend.connectAgain();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let stalled = false;
      const stalling = tally('stale', async (event) => {
        if (event.data['n'] === 3) {
          stalled = true;
          await gate;
        }
      });
      await count(backend, 1, 6);
      const stale = runner(backend, stalling, { leaseTtlMs: 200 });
      stale.start();
      await eventually(() => stalled, 'the first runner stalls mid-batch');
      const fresh = runner(other, tally('fresh'), { leaseTtlMs: 200 });
      fresh.start();
      await eventually(async () => (await applied(other)).length === 6, 'the second runner applied everything');
      release();
      await eventually(async () => (await stale.status()).holdsLease === false, 'the stale runner notices it lost the lease');
      await count(other, 7, 8);
      await eventually(async () => (await applied(other)).length === 8, 'the new holder keeps following');
      const docs = await applied(other);
      expect(docs.map((doc) => [doc['n'], doc['count'], doc['by']])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, 1, 'fresh']));
    });

    it('stops at a committed checkpoint and releases its lease', async () => {
      await count(backend, 1, 40);
      const subject = runner(backend, tally('a'), { batchSize: 5 });
      subject.start();
      await eventually(async () => (await applied()).length >= 5, 'a first batch is applied');
      await subject.stop();
      const docs = await applied();
      const stored = await checkpoint();
      // Whatever was applied is exactly what the checkpoint covers: no batch is half in.
      expect(docs.length % 5).toBe(0);
      expect(docs[docs.length - 1]?.['_id']).toBe(stored);
      const lease = await subject.lease.read();
      expect(lease?.owner).toBeNull();
    });
  });
}
