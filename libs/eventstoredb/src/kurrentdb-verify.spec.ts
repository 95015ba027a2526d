import { verifyLog, type RecordedEvent } from '@strata/core';
import { damageOf, isUnchecked } from '@strata/core/adapter';
import { StandInKurrentDb } from '../test/kurrentdb-stand-in';
import { KurrentDbEventStore } from './kurrentdb-event-store';

// Checksums and `verify` through the KurrentDB adapter, at the client boundary: the stand-in plays a
// server whose stored bytes changed or whose log lost an event (a disk fault, a restore gone wrong),
// which no test can make a real one do here.

const open = (server: StandInKurrentDb): KurrentDbEventStore =>
  new KurrentDbEventStore(server.client(), {
    logger: {
      log: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });

describe('verify through the KurrentDB adapter', () => {
  it('reads the whole log in pages and finds every checksum and revision sound; positions are not counted', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    for (let i = 0; i < 7; i++)
      await store.appendToStream(`Account-${i % 2}`, [
        { type: 'Deposited', data: { amount: i } },
      ]);
    const progress: (number | null)[] = [];
    const result = await verifyLog(store, {
      pageSize: 3,
      onProgress: (_done, total) => progress.push(total),
    });
    expect(result).toEqual({
      events: 7,
      streams: 2,
      checksums: true,
      unchecked: 0,
      positionsChecked: false,
      storageChecked: false,
      problems: [],
    });
    expect(progress.every((total) => total === null)).toBe(true);
    expect(
      server.requests.filter((request) => request.op === 'readAll').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('names an event missing from a stream by the revision gap the next one leaves', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    for (let i = 0; i < 6; i++)
      await store.appendToStream(`Account-${i % 2}`, [
        { type: 'Deposited', data: { amount: i } },
      ]);
    // Revision 1 of Account-1 (the fourth event) is gone from the log.
    const lost = server.log.findIndex(
      (event) => event.streamId.endsWith('Account-1') && event.revision === 1n,
    );
    expect(lost).toBeGreaterThan(0);
    server.log.splice(lost, 1);
    const result = await verifyLog(store, { pageSize: 2 });
    expect(result.events).toBe(5);
    expect(result.problems).toEqual([
      {
        position: expect.any(String) as unknown,
        streamId: 'Account-1',
        revision: 2n,
        reason: 'revision 2 follows 0: revisions 1..1 are missing',
      },
    ]);
  });

  it('refuses an event whose stored data changed, marks it for readAll with includeDamaged, verify names it, and an event without a checksum reads unchecked', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    for (let i = 0; i < 4; i++) await store.appendToStream('Account-1', [{ type: 'Deposited', data: { amount: 100 + i }, metadata: { commandId: `c-${i}` } }]);
    const read = async (): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      for await (const event of store.readStream('Account-1')) events.push(event);
      return events;
    };
    // The checksum stays out of the metadata the application sees.
    expect((await read())[0]?.metadata).toEqual({ commandId: 'c-0' });
    const stored = server.log[1] as { data: unknown };
    Object.assign(stored, { data: { amount: 901 } });
    await expect(read()).rejects.toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', streamId: 'Account-1', revision: 1n });
    await expect(store.readAll()).rejects.toMatchObject({ code: 'EVENT_INTEGRITY_FAILED' });
    const page = await store.readAll({ includeDamaged: true });
    const damaged = page.events.filter((event) => damageOf(event) !== undefined);
    expect(damaged.map((event) => event.revision)).toEqual([1n]);
    const result = await verifyLog(store);
    expect(result.problems).toEqual([{ position: damaged[0]?.position, streamId: 'Account-1', revision: 1n, reason: expect.stringMatching(/checksum does not match/) as unknown }]);
    // Written by an earlier version (no checksum in its metadata): read, counted as unchecked.
    Object.assign(stored, { data: { amount: 101 }, metadata: { commandId: 'c-1' } });
    expect((await read()).map(isUnchecked)).toEqual([false, true, false, false]);
    expect(await verifyLog(store)).toMatchObject({ events: 4, unchecked: 1, problems: [] });
  });
});
