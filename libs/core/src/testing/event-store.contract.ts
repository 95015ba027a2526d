import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, StreamNotFoundError, WrongExpectedRevisionError } from '../errors/concurrency-errors';
import type { RecordedEvent } from '../events/event';
import type { EventStore, ReadStreamOptions } from '../event-store/event-store';
import { comparePositions } from '../event-store/position';

/** Makes a fresh, empty store for one test. */
export type EventStoreFactory = () => Promise<EventStore>;

import { collect, event } from './event-store-contract-kit';
import { describeExpectedRevisionCases } from './expected-revision.contract';

/** The guarantees every `EventStore` adapter must give; run it once per adapter. */
export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    const stream = (): string => `Test-${randomUUID()}`;
    const read = (id: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> =>
      collect(store.readStream(id, options));

    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('append and read back', () => {
      it('stores events with contiguous revisions, ids, metadata and increasing positions', async () => {
        const id = stream();
        const first = await store.appendToStream(id, [event('Opened', { owner: 'ada' }), event('Deposited', { amount: 5 })]);
        const second = await store.appendToStream(id, [event('Deposited', { amount: 7, nested: { list: [1, 'two'] } })]);
        expect(first.nextRevision).toBe(1n);
        expect(second.nextRevision).toBe(2n);
        expect(comparePositions(first.position, second.position)).toBeLessThan(0);

        const events = await read(id);
        expect(events.map((e) => [e.type, e.revision, e.streamId])).toEqual([
          ['Opened', 0n, id],
          ['Deposited', 1n, id],
          ['Deposited', 2n, id],
        ]);
        expect(events[2]?.data).toEqual({ amount: 7, nested: { list: [1, 'two'] } });
        expect(events[0]?.metadata).toEqual({ correlationId: 'c-1' });
        expect(events[0]?.createdAt).toBeInstanceOf(Date);
        expect(new Set(events.map((e) => e.id)).size).toBe(3);
        expect(events[2]?.position).toBe(second.position);
        expect(events[1]?.position).toBe(first.position);
      });

      it('keeps the event ids it is given', async () => {
        const id = stream();
        const eventId = randomUUID();
        await store.appendToStream(id, [event('Opened', {}, eventId)]);
        expect((await read(id))[0]?.id).toBe(eventId);
      });

      it('reads from a revision, a bounded count, and backwards', async () => {
        const id = stream();
        await store.appendToStream(id, [0, 1, 2, 3, 4].map((n) => event('N', { n })));
        const data = (events: RecordedEvent[]): unknown[] => events.map((e) => e.data['n']);
        expect(data(await read(id, { fromRevision: 2n }))).toEqual([2, 3, 4]);
        expect(data(await read(id, { maxCount: 2 }))).toEqual([0, 1]);
        expect(data(await read(id, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(data(await read(id, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }))).toEqual([3, 2]);
        expect(data(await read(id, { fromRevision: 9n }))).toEqual([]);
      });

      it('reports a missing stream as StreamNotFoundError, not a driver error', async () => {
        const id = stream();
        await expect(read(id)).rejects.toBeInstanceOf(StreamNotFoundError);
        await expect(read(id)).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND', streamId: id });
      });

      it('refuses an empty append and invalid events, storing nothing', async () => {
        const id = stream();
        await expect(store.appendToStream(id, [])).rejects.toMatchObject({ code: 'EMPTY_APPEND' });
        await expect(store.appendToStream(id, [{ type: '', data: {} }])).rejects.toMatchObject({ code: 'INVALID_EVENT' });
        await expect(read(id)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it("refuses stream ids under the reserved prefixes ('$', 'strata-') and '$' event types, storing nothing", async () => {
        // A user stream named like a KurrentDB snapshot stream would be cut to one event by the scavenger.
        for (const reserved of ['$system', `strata-snapshot-${stream()}`, 'strata-anything']) {
          await expect(store.appendToStream(reserved, [event('Opened')])).rejects.toMatchObject({ code: 'INVALID_STREAM_ID' });
        }
        const id = stream();
        // The servers leave '$' types out of every read of the log, so projections would never see it.
        await expect(store.appendToStream(id, [event('$Opened')])).rejects.toMatchObject({ code: 'INVALID_EVENT' });
        await expect(read(id)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    it('takes an oversized append whole or refuses it as APPEND_TOO_LARGE, storing nothing; never as a retryable outage', async () => {
      // KurrentDB refuses appends over its maximum append size (1 MiB by default); other stores take them.
      const id = stream();
      const big = 'x'.repeat(2 * 1024 * 1024);
      const outcome = await store.appendToStream(id, [event('Written', { big })]).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if ('result' in outcome) {
        expect((await read(id))[0]?.data['big']).toHaveLength(big.length);
      } else {
        expect(outcome.error).toMatchObject({ code: 'APPEND_TOO_LARGE' });
        await expect(read(id)).rejects.toBeInstanceOf(StreamNotFoundError);
      }
    });

    describeExpectedRevisionCases(() => store, stream, read);

    it('8 parallel writers on one stream: contiguous revisions, no duplicates, nothing lost', async () => {
      const id = stream();
      const perWriter = 15;
      const writer = async (w: number): Promise<void> => {
        for (let i = 0; i < perWriter; i++) {
          for (;;) {
            const last = await collect(store.readStream(id, { direction: 'backwards', maxCount: 1 })).catch(() => []);
            const expectedRevision = last[0]?.revision ?? 'no_stream';
            try {
              await store.appendToStream(id, [event('Wrote', { w, i })], { expectedRevision });
              break;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(writer));
      const events = await read(id);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
      expect(events).toHaveLength(8 * perWriter);
      const written = new Set(events.map((e) => `${String(e.data['w'])}/${String(e.data['i'])}`));
      expect(written.size).toBe(8 * perWriter);
    });

    describe('idempotent append', () => {
      it('re-appending the same ids at the same expected revision returns the first result', async () => {
        const id = stream();
        const batch = [event('A', {}, randomUUID()), event('B', {}, randomUUID())];
        const first = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        const next = [event('C', {}, randomUUID())];
        const third = await store.appendToStream(id, next, { expectedRevision: 1n });
        await store.appendToStream(id, [event('D')]);
        expect(await store.appendToStream(id, next, { expectedRevision: 1n })).toEqual(third);
        expect((await read(id)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      });

      it('the same ids at another expected revision conflict', async () => {
        const id = stream();
        const batch = [event('A', {}, randomUUID())];
        await store.appendToStream(id, [event('Z')]);
        await store.appendToStream(id, batch, { expectedRevision: 0n });
        await expect(store.appendToStream(id, batch, { expectedRevision: 5n })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await read(id)).toHaveLength(2);
      });

      it('a batch that repeats only some ids is refused and writes nothing', async () => {
        const id = stream();
        const a = event('A', {}, randomUUID());
        await store.appendToStream(id, [a]);
        await expect(store.appendToStream(id, [a, event('B', {}, randomUUID())])).rejects.toBeInstanceOf(
          DuplicateEventIdError,
        );
        expect((await read(id)).map((e) => e.type)).toEqual(['A']);
      });
    });

    describe('findEvent', () => {
      it('finds an event of a stream by its id, as a read gives it', async () => {
        const id = stream();
        const wanted = randomUUID();
        await store.appendToStream(id, [event('A'), event('B', { n: 1 }, wanted), event('C')]);
        const found = await store.findEvent(id, wanted);
        expect(found).toEqual((await read(id))[1]);
        expect(found).toMatchObject({ id: wanted, type: 'B', data: { n: 1 }, revision: 1n, streamId: id });
      });

      it('finds nothing for an unknown id, an id of another stream, or a missing stream', async () => {
        const id = stream();
        const other = stream();
        const elsewhere = randomUUID();
        await store.appendToStream(id, [event('A')]);
        await store.appendToStream(other, [event('B', {}, elsewhere)]);
        expect(await store.findEvent(id, randomUUID())).toBeUndefined();
        expect(await store.findEvent(id, elsewhere)).toBeUndefined();
        expect(await store.findEvent(stream(), elsewhere)).toBeUndefined();
      });
    });

    describe('readAll', () => {
      const fill = async (): Promise<string[]> => {
        const a = stream();
        const b = `Other-${randomUUID()}`;
        await store.appendToStream(a, [event('A0'), event('A1')]);
        await store.appendToStream(b, [event('B0')]);
        await store.appendToStream(a, [event('A2')]);
        await store.appendToStream(b, [event('B1'), event('B2')]);
        return [a, b];
      };

      it('returns every event in global order, paged forwards', async () => {
        await fill();
        const seen: RecordedEvent[] = [];
        let from: RecordedEvent['position'] | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await store.readAll({ maxCount: 2, ...(from === undefined ? {} : { fromPosition: from }) });
          seen.push(...page.events);
          if (page.nextPosition === null) break;
          from = page.nextPosition;
        }
        expect(seen.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2', 'B1', 'B2']);
        for (let i = 1; i < seen.length; i++) {
          expect(comparePositions((seen[i - 1] as RecordedEvent).position, (seen[i] as RecordedEvent).position)).toBeLessThan(0);
        }
      });

      it('pages backwards from the end', async () => {
        await fill();
        const first = await store.readAll({ direction: 'backwards', maxCount: 4 });
        expect(first.events.map((e) => e.type)).toEqual(['B2', 'B1', 'A2', 'B0']);
        expect(first.nextPosition).not.toBeNull();
        const second = await store.readAll({
          direction: 'backwards',
          maxCount: 4,
          fromPosition: first.nextPosition ?? undefined,
        });
        expect(second.events.map((e) => e.type)).toEqual(['A1', 'A0']);
        expect(second.nextPosition).toBeNull();
      });

      it('starts from a position inclusively', async () => {
        await fill();
        const all = await store.readAll();
        const third = all.events[2] as RecordedEvent;
        const rest = await store.readAll({ fromPosition: third.position });
        expect(rest.events.map((e) => e.type)).toEqual(['B0', 'A2', 'B1', 'B2']);
        expect(rest.nextPosition).toBeNull();
      });

      it('filters by event type and by stream prefix', async () => {
        await fill();
        const byType = await store.readAll({ filter: { eventTypes: ['A1', 'B1'] } });
        expect(byType.events.map((e) => e.type)).toEqual(['A1', 'B1']);
        const byPrefix = await store.readAll({ filter: { streamPrefixes: ['Other-'] } });
        expect(byPrefix.events.map((e) => e.type)).toEqual(['B0', 'B1', 'B2']);
      });

      it('validates positions it is given', async () => {
        await fill();
        const page = await store.readAll({ maxCount: 1 });
        const position = page.events[0]?.position as string;
        expect(store.parsePosition(position)).toBe(position);
        expect(() => store.parsePosition('not-a-position')).toThrow(/not a position/);
      });
    });

    describe('head and append notifications', () => {
      it('reports the head position: null when empty, then the newest event', async () => {
        expect(await store.headPosition()).toBeNull();
        await store.appendToStream(stream(), [event('A')]);
        const { position } = await store.appendToStream(stream(), [event('B'), event('C')]);
        expect(await store.headPosition()).toBe(position);
      });

      it('counts the events between two positions where it can, never negative', async () => {
        const first = await store.appendToStream(stream(), [event('A')]);
        const last = await store.appendToStream(stream(), [event('B'), event('C')]);
        const between = store.eventsBetween(first.position, last.position);
        if (between !== null) {
          expect(between).toBe(2);
          expect(store.eventsBetween(null, last.position)).toBe(3);
          expect(store.eventsBetween(last.position, first.position)).toBe(0);
        }
        expect(store.eventsBetween(last.position, null)).toBe(0);
      });

      it('tells listeners about each append after it commits, until they unsubscribe', async () => {
        const heard: string[] = [];
        const unsubscribe = store.onAppended((position) => heard.push(position));
        const first = await store.appendToStream(stream(), [event('A')]);
        expect(heard).toEqual([first.position]);
        expect(await store.headPosition()).toBe(first.position);
        unsubscribe();
        await store.appendToStream(stream(), [event('B')]);
        expect(heard).toEqual([first.position]);
      });

      it('still commits an append whose listener throws', async () => {
        store.onAppended(() => {
          throw new Error('listener bug');
        });
        const id = stream();
        await store.appendToStream(id, [event('A')]);
        expect(await read(id)).toHaveLength(1);
      });
    });
  });
}
