import type { RecordedEvent } from '../events/event';
import { ParkedEventActions } from '../projections/parked-event-actions';
import { ParkedEvents, type ParkedEvent } from '../projections/parked-events';
import type { ProjectionContext } from '../projections/projection-handler';
import { newLeaseOwner } from '../projections/projection-lease';
import type { ProjectionOptions } from '../projections/projection-options';
import { ProjectionReplay } from '../projections/projection-replay';
import { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from '../projections/projection-runner';
import { eventually, quietLogger, TEST_SETTINGS, type ProjectionBackend } from './projection-test-kit';

/** One document per partition: the amounts folded in, and the revision of each stream it reflects. */
interface Ledger {
  readonly _id: string;
  readonly amounts: number[];
  readonly revisions: Record<string, number>;
}

const LEDGER: ProjectionOptions = { name: 'ledger', version: 1, events: ['Booked'], collections: { ledgers: {} } };

/**
 * Dead letters keep order: once an event of a stream (or of a projection's partition key) is
 * parked, later events of it are parked behind it while other streams go on, through restarts
 * and replays; a retry applies the sequence in order, a skip of its head releases the rest.
 * The ledger has a revision guard, as the bank's accounts do, so an event applied out of order
 * would be lost, not just late.
 */
export function describeParkedOrderContract(name: string, open: () => Promise<ProjectionBackend>): void {
  describe(`Parked order contract: ${name}`, () => {
    let backend: ProjectionBackend;
    const runners: ProjectionRunner[] = [];
    /** Amounts the handler refuses while they are in here. */
    const poison = new Set<number>();
    const ledger = (options: Partial<ProjectionOptions> = {}): RegisteredProjection => ({
      options: { ...LEDGER, ...options },
      handler: {
        async handle(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
          const amount = Number(event.data['amount']);
          if (poison.has(amount)) throw new Error(`refused ${amount}`);
          const ledgers = ctx.collection<Ledger>('ledgers');
          const key = typeof event.data['ledger'] === 'string' ? event.data['ledger'] : event.streamId;
          const current = await ledgers.findOne({ _id: key });
          const revision = Number(event.revision);
          // At-least-once delivery: what is at or below the stored revision is already in.
          if (current && revision <= (current.revisions[event.streamId] ?? -1)) return;
          const next = { amounts: [...(current?.amounts ?? []), amount], revisions: { ...current?.revisions, [event.streamId]: revision } };
          await ledgers.replaceOne({ _id: key }, next, { upsert: true });
        },
      },
    });
    const start = (projection = ledger()): ProjectionRunner => {
      const created = new ProjectionRunner(projection, backend.events, backend.documents, TEST_SETTINGS, newLeaseOwner(), quietLogger().logger);
      runners.push(created);
      created.start();
      return created;
    };
    const actions = (projection = ledger()) => new ParkedEventActions([projection], backend.events, backend.documents, newLeaseOwner(), TEST_SETTINGS.leaseTtlMs);
    const book = async (stream: string, amounts: number[], data: Record<string, unknown> = {}) => {
      for (const amount of amounts) await backend.events.appendToStream(stream, [{ type: 'Booked', data: { amount, ...data } }]);
    };
    const amounts = async (key: string) => (await backend.documents.collection<Ledger>('ledgers').findOne({ _id: key }))?.amounts ?? [];
    const parked = () => new ParkedEvents(backend.documents).list(projectionCheckpointName('ledger'));
    const shape = async () => (await parked()).map((record: ParkedEvent) => [record.streamId, record.held === true ? 'held' : 'failed', record.attempts]);
    const caughtUp = async (runner: ProjectionRunner) => eventually(async () => (await runner.status()).lag === 0, 'the runner caught up');

    beforeEach(async () => {
      backend = await open();
      poison.clear();
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
      await backend.close();
    });

    it('holds the later events of a parked event\'s stream behind it, through a restart, while other streams go on; a retry applies them in order', async () => {
      poison.add(20);
      await book('Ledger-a', [10, 20, 30]);
      await book('Ledger-b', [1, 2]);
      await book('Ledger-a', [40]);
      const first = start();
      await caughtUp(first);
      expect(await amounts('Ledger-a')).toEqual([10]);
      expect(await amounts('Ledger-b')).toEqual([1, 2]);
      expect(await shape()).toEqual([
        ['Ledger-a', 'failed', TEST_SETTINGS.maxAttempts],
        ['Ledger-a', 'held', 0],
        ['Ledger-a', 'held', 0],
      ]);
      expect(await new ParkedEvents(backend.documents).sequences()).toEqual([
        expect.objectContaining({ subscription: projectionCheckpointName('ledger'), partition: 'Ledger-a', events: await parked() }),
      ]);

      // A new process reads what is held from the store.
      await first.stop();
      await book('Ledger-a', [50]);
      await book('Ledger-b', [3]);
      const second = start();
      await caughtUp(second);
      expect(await amounts('Ledger-b')).toEqual([1, 2, 3]);
      expect((await shape()).map(([, state]) => state)).toEqual(['failed', 'held', 'held', 'held']);

      // Retried by any record of it, the sequence is applied from its head, while the app runs.
      poison.clear();
      const [, middle] = await parked();
      const outcome = await actions().retry(String(middle?._id));
      expect(outcome.failed).toBeNull();
      expect(outcome.applied).toHaveLength(4);
      expect(await amounts('Ledger-a')).toEqual([10, 20, 30, 40, 50]);
      expect(await parked()).toEqual([]);

      // The app took its lease back and no longer holds the stream.
      await book('Ledger-a', [60]);
      await eventually(async () => (await amounts('Ledger-a')).length === 6, 'the app applied a later event of the stream');
      expect(await amounts('Ledger-a')).toEqual([10, 20, 30, 40, 50, 60]);
    });

    it('keeps the sequence when a retry fails again; when it fails part-way, applies the events before and the failing one heads the rest', async () => {
      poison.add(20).add(30);
      await book('Ledger-a', [10, 20, 30, 40]);
      await caughtUp(start());
      const [head] = await parked();
      const before = await parked();

      const again = await actions().retry(String(head?._id));
      expect(again).toEqual({ id: head?._id, applied: [], failed: { id: head?._id, error: 'Error: refused 20' } });
      expect((await parked()).map((record) => record._id)).toEqual(before.map((record) => record._id));
      expect(await shape()).toEqual([
        ['Ledger-a', 'failed', TEST_SETTINGS.maxAttempts + 1],
        ['Ledger-a', 'held', 0],
        ['Ledger-a', 'held', 0],
      ]);

      poison.delete(20);
      const partWay = await actions().retry(String(head?._id));
      expect(partWay).toEqual({ id: head?._id, applied: [head?._id], failed: { id: before[1]?._id, error: 'Error: refused 30' } });
      expect(await amounts('Ledger-a')).toEqual([10, 20]);
      expect(await shape()).toEqual([
        ['Ledger-a', 'failed', 1],
        ['Ledger-a', 'held', 0],
      ]);
    });

    it('releases the next event when the head is skipped: applied, or parked again when it fails too', async () => {
      poison.add(20).add(30);
      await book('Ledger-a', [10, 20, 30, 40]);
      const app = start();
      await caughtUp(app);
      const [first, second, third] = await parked();

      const skipped = await actions().skip(String(first?._id));
      expect(skipped).toMatchObject({ skipped: { _id: first?._id }, released: { applied: [], failed: { id: second?._id, error: 'Error: refused 30' } } });
      expect(await shape()).toEqual([
        ['Ledger-a', 'failed', 1],
        ['Ledger-a', 'held', 0],
      ]);

      const released = await actions().skip(String(second?._id));
      expect(released.released).toEqual({ id: second?._id, applied: [third?._id], failed: null });
      expect(await parked()).toEqual([]);
      // 20 and 30 stay unapplied; 40 is in at its revision, so the guard lets later ones through.
      expect(await amounts('Ledger-a')).toEqual([10, 40]);
      await book('Ledger-a', [50]);
      await eventually(async () => (await amounts('Ledger-a')).length === 3, 'the app applied a later event of the stream');
    });

    it('orders by the projection\'s partition key when it declares one: a parked event holds other streams of its key', async () => {
      const byLedger = ledger({ partitionKey: (event) => String(event.data['ledger']) });
      poison.add(2);
      await book('Account-1', [1, 2], { ledger: 'shared' });
      await book('Account-2', [3], { ledger: 'shared' });
      await book('Account-3', [4], { ledger: 'own' });
      await caughtUp(start(byLedger));
      expect(await amounts('shared')).toEqual([1]);
      expect(await amounts('own')).toEqual([4]);
      expect((await parked()).map((record) => [record.streamId, record.partition, record.held === true])).toEqual([
        ['Account-1', 'shared', false],
        ['Account-2', 'shared', true],
      ]);
      poison.clear();
      const [head] = await parked();
      expect((await actions(byLedger).retry(String(head?._id))).failed).toBeNull();
      expect(await amounts('shared')).toEqual([1, 2, 3]);
    });

    it('parks in the same order during a replay, and the swap hands the sequences to the projection', async () => {
      await book('Ledger-a', [10, 20, 30]);
      await book('Ledger-b', [1]);
      await caughtUp(start());
      await Promise.all(runners.splice(0).map((runner) => runner.stop()));
      expect(await amounts('Ledger-a')).toEqual([10, 20, 30]);

      poison.add(20);
      const result = await new ProjectionReplay(ledger(), backend.events, backend.documents, TEST_SETTINGS, newLeaseOwner(), { logger: quietLogger().logger }).run();
      expect(result).toMatchObject({ parked: 1, held: 1 });
      expect(await amounts('Ledger-a')).toEqual([10]);
      expect(await amounts('Ledger-b')).toEqual([1]);
      expect(await shape()).toEqual([
        ['Ledger-a', 'failed', TEST_SETTINGS.maxAttempts],
        ['Ledger-a', 'held', 0],
      ]);

      const app = start();
      await book('Ledger-a', [40]);
      await caughtUp(app);
      expect((await shape()).map(([, state]) => state)).toEqual(['failed', 'held', 'held']);
      poison.clear();
      const [head] = await parked();
      expect((await actions().retry(String(head?._id))).applied).toHaveLength(3);
      expect(await amounts('Ledger-a')).toEqual([10, 20, 30, 40]);
    });
  });
}
