import { StrataError } from '../errors/strata-error';
import { ParkedEventActions } from '../projections/parked-event-actions';
import { ParkedEvents } from '../projections/parked-events';
import { newLeaseOwner } from '../projections/projection-lease';
import { describeProjection } from '../projections/projection-overview';
import { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from '../projections/projection-runner';
import { count, eventually, quietLogger, tally, TALLY_OPTIONS, TEST_SETTINGS, type ProjectionBackend } from './projection-test-kit';

/**
 * What operators do from another process: read each projection's state from the store, and
 * retry or skip parked events while the app keeps running the projection.
 */
export function describeProjectionOperationsContract(name: string, open: () => Promise<ProjectionBackend>): void {
  describe(`Projection operations contract: ${name}`, () => {
    let backend: ProjectionBackend;
    const runners: ProjectionRunner[] = [];
    const runner = (projection: RegisteredProjection, settings = TEST_SETTINGS): ProjectionRunner => {
      const created = new ProjectionRunner(projection, backend.events, backend.documents, settings, newLeaseOwner(), quietLogger().logger);
      runners.push(created);
      return created;
    };
    const overview = async () => describeProjection(TALLY_OPTIONS, backend.events, backend.documents, await backend.events.headPosition());
    const parked = () => new ParkedEvents(backend.documents).list(projectionCheckpointName('tally'));
    const applied = () => backend.documents.collection('applied').find({}, { sort: { n: 1 } });
    let broken = true;
    const breaksOn4 = () =>
      tally('app', (event) => {
        if (broken && event.data['n'] === 4) throw new Error('cannot apply 4');
      });

    beforeEach(async () => {
      backend = await open();
      broken = true;
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      await backend.close();
    });

    it('reads each state from the store: stopped, live, failing', async () => {
      await count(backend, 1, 3);
      expect(await overview()).toMatchObject({ name: 'tally', version: 1, inCode: true, state: 'stopped', checkpoint: null, lag: 3, parked: 0, runBy: null, servedBy: [] });
      const live = runner(tally('app'));
      live.start();
      await eventually(async () => (await overview()).lag === 0, 'the runner caught up');
      expect(await overview()).toMatchObject({ state: 'live', parked: 0, runBy: live.lease.owner, servedBy: [live.lease.owner], lastError: null });
      await live.stop();
      expect(await overview()).toMatchObject({ state: 'stopped', servedBy: [] });

      const failing = runner(breaksOn4(), { ...TEST_SETTINGS, maxAttempts: 50, retryBaseDelayMs: 50, retryMaxDelayMs: 50 });
      await count(backend, 4, 4);
      failing.start();
      await eventually(async () => (await overview()).state === 'failing', 'the runner reports that it fails');
      expect((await overview()).lastError).toContain('cannot apply 4');
    });

    it('retries a parked event through the handler while the app runs it, then the app carries on', async () => {
      await count(backend, 1, 6);
      const app = runner(breaksOn4());
      app.start();
      await eventually(async () => (await parked()).length === 1 && (await applied()).length === 5, '4 is parked and the rest applied');
      const [record] = await parked();
      const actions = new ParkedEventActions([breaksOn4()], backend.events, backend.documents, newLeaseOwner(), TEST_SETTINGS.leaseTtlMs);

      expect(await actions.retry(String(record?._id))).toEqual({ id: record?._id, applied: [], failed: { id: record?._id, error: 'Error: cannot apply 4' } });
      expect(await parked()).toEqual([expect.objectContaining({ _id: record?._id, attempts: (record?.attempts ?? 0) + 1 })]);

      broken = false;
      expect(await actions.retry(String(record?._id))).toEqual({ id: record?._id, applied: [record?._id], failed: null });
      expect(await parked()).toEqual([]);
      expect((await applied()).map((doc) => [doc['n'], doc['count']])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 1]));

      await count(backend, 7, 8);
      await eventually(async () => (await applied()).length === 8, 'the app resumed after the retry');
      expect((await overview()).state).toBe('live');
    });

    it('skips a parked event for good, and refuses ids it does not know', async () => {
      await count(backend, 1, 5);
      runner(breaksOn4()).start();
      await eventually(async () => (await parked()).length === 1 && (await applied()).length === 4, '4 is parked and the rest applied');
      const [record] = await parked();
      const actions = new ParkedEventActions([breaksOn4()], backend.events, backend.documents, newLeaseOwner(), TEST_SETTINGS.leaseTtlMs);
      expect(await actions.skip(String(record?._id))).toMatchObject({ skipped: { _id: record?._id, eventType: 'Counted' }, released: null, stillParked: 0 });
      expect(await parked()).toEqual([]);
      expect((await applied()).map((doc) => doc['n'])).toEqual([1, 2, 3, 5]);
      for (const attempt of [actions.skip('projection:tally@nope'), actions.retry('projection:tally@nope')]) {
        const error: unknown = await attempt.then(() => undefined, (caught: unknown) => caught);
        expect(StrataError.isStrataError(error) && error.code).toBe('UNKNOWN_PARKED_EVENT');
      }
    });
  });
}
