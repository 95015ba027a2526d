import { type Position } from '@strata/core';
import { httpStatusOf } from '@strata/core/adapter';
import { StandInKurrentDb } from '../test/kurrentdb-stand-in';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { KurrentDbSnapshotStore } from './kurrentdb-snapshot-store';

// Server-free tests at the client boundary: a stand-in for the client that behaves as a KurrentDB
// server or cluster does where no real one here can be made to (see test/kurrentdb-stand-in.ts).
// The contract suites run the same guarantees against a real server wherever Docker is.

const quiet = () => {
  const warnings: string[] = [];
  return { warnings, logger: { log: () => undefined, warn: (message: unknown) => void warnings.push(String(message)), error: () => undefined } };
};
const open = (server: StandInKurrentDb, logger = quiet().logger) => new KurrentDbEventStore(server.client(), { logger });
const json = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('KurrentDB refusals that a retry cannot change', () => {
  it('an append over the maximum append size is APPEND_TOO_LARGE (413), not a retryable EVENT_STORE_UNAVAILABLE', async () => {
    const server = new StandInKurrentDb();
    server.maxAppendSize = 1000;
    const error = await open(server)
      .appendToStream('Doc-1', [{ type: 'Written', data: { text: 'x'.repeat(2000) } }])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'APPEND_TOO_LARGE' });
    expect((error as Error).message).toMatch(/maximum append size of 1000 bytes/);
    expect(httpStatusOf(error)).toBe(413);
  });

  it('an append to a deleted stream is STREAM_DELETED (410), and access denied is EVENT_STORE_ACCESS_DENIED (500)', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    server.deleted.add('Doc-1');
    const deleted = await store.appendToStream('Doc-1', [{ type: 'Written', data: {} }]).catch((caught: unknown) => caught);
    expect(deleted).toMatchObject({ code: 'STREAM_DELETED' });
    expect(httpStatusOf(deleted)).toBe(410);
    server.accessDenied = true;
    const denied = await store.appendToStream('Doc-2', [{ type: 'Written', data: {} }]).catch((caught: unknown) => caught);
    expect(denied).toMatchObject({ code: 'EVENT_STORE_ACCESS_DENIED' });
    expect(httpStatusOf(denied)).toBe(500);
  });

  it('skips a snapshot larger than the maximum append size with a warning, and does not try it again on every command', async () => {
    const server = new StandInKurrentDb();
    server.maxAppendSize = 1000;
    const heard = quiet();
    const snapshots = new KurrentDbSnapshotStore(server.client(), { logger: heard.logger });
    const big = { streamId: 'Doc-1', revision: 5n, eventId: 'e5', snapshotVersion: 1, state: { text: 'x'.repeat(2000) } };
    await expect(snapshots.save(big)).resolves.toBeUndefined();
    expect(heard.warnings.join('\n')).toMatch(/snapshot of 'Doc-1' at revision 5 is larger than KurrentDB's maximum append size/);
    const appends = server.requests.filter((request) => request.op === 'append').length;
    await snapshots.save({ ...big, revision: 6n, eventId: 'e6' });
    expect(server.requests.filter((request) => request.op === 'append').length).toBe(appends);
  });
});

describe('foreign events in the KurrentDB log', () => {
  it('skips events whose data or metadata is not JSON in readAll and headPosition, with one warning each', async () => {
    const server = new StandInKurrentDb();
    const heard = quiet();
    const store = open(server, heard.logger);
    const first = await store.appendToStream('Account-1', [{ type: 'Opened', data: {} }]);
    server.writeForeign('legacy-1', 'Blob', new Uint8Array([0xff, 0x00, 0x17]));
    server.writeForeign('legacy-2', 'Tagged', json('{}'), new Uint8Array([0xc3, 0x28]));
    server.writeForeign('legacy-3', 'Lying', '{"not json');
    const head = await store.headPosition();
    expect(head).not.toBeNull();
    expect(head! > first.position).toBe(true);
    const page = await store.readAll();
    expect(page.events.map((event) => event.type)).toEqual(['Opened']);
    await store.readAll();
    expect(heard.warnings).toHaveLength(3);
    for (const [type, stream] of [['Blob', 'legacy-1'], ['Tagged', 'legacy-2'], ['Lying', 'legacy-3']]) {
      expect(heard.warnings.filter((line) => line.includes(`(${type}) of '${stream}'`))).toHaveLength(1);
    }
  });
});

describe('KurrentDB on a cluster whose follower lags', () => {
  it('reads an append back from the leader, so a committed append is never answered with a 503', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    server.followerLag = 5;
    const appended = await store.appendToStream('Account-1', [
      { type: 'Opened', data: {} },
      { type: 'Deposited', data: { amount: 5 } },
    ]);
    expect(appended.nextRevision).toBe(1n);
    const read: Position[] = [];
    for await (const event of store.readStream('Account-1')) read.push(event.position);
    expect(read[1]).toBe(appended.position);
  });
});

describe('exactly-once appends with event ids', () => {
  it("a repeat of an 'any' append after a server restart and 150 later events appends nothing", async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    const first = await store.appendToStream('Saga-1', [{ id: '00000000-0000-4000-8000-000000000001', type: 'TimedOut', data: {} }], { expectedRevision: 'any' });
    for (let n = 0; n < 150; n++) await store.appendToStream('Saga-1', [{ type: 'Noted', data: { n } }]);
    server.restart();
    const again = await store.appendToStream('Saga-1', [{ id: '00000000-0000-4000-8000-000000000001', type: 'TimedOut', data: {} }], { expectedRevision: 'any' });
    expect(again).toEqual(first);
    expect(server.log.filter((event) => event.type === 'TimedOut')).toHaveLength(1);
  });

  it("two concurrent repeats of a 'stream_exists' append write it once", async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    await store.appendToStream('Saga-2', [{ type: 'Started', data: {} }]);
    server.restart();
    const append = () => store.appendToStream('Saga-2', [{ id: '00000000-0000-4000-8000-000000000002', type: 'Failed', data: {} }], { expectedRevision: 'stream_exists' });
    const [a, b] = await Promise.all([append(), append()]);
    expect(a).toEqual(b);
    expect(server.log.filter((event) => event.type === 'Failed')).toHaveLength(1);
  });
});

describe('KurrentDB round trips', () => {
  it('a single-event append takes one request', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    await store.appendToStream('Account-1', [{ type: 'Opened', data: {} }], { expectedRevision: 'no_stream' });
    expect(server.requests.map((request) => request.op)).toEqual(['append']);
  });

  it("a command's append (event ids, the revision it read) of one event takes one request, and answers the position reads see", async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    await store.appendToStream('Account-1', [{ id: '0b7d0f43-4a9e-4d43-9b7b-1f0c3e0a0001', type: 'Opened', data: {} }], { expectedRevision: 'no_stream' });
    server.requests.length = 0;
    const appended = await store.appendToStream('Account-1', [{ id: '0b7d0f43-4a9e-4d43-9b7b-1f0c3e0a0002', type: 'Deposited', data: {} }], { expectedRevision: 0n });
    expect(server.requests.map((request) => request.op)).toEqual(['append']);
    const read: Position[] = [];
    for await (const event of store.readStream('Account-1')) read.push(event.position);
    expect(appended).toEqual({ nextRevision: 1n, position: read[1] });
  });

  it('findEvent of a recent event in a long stream reads one small page', async () => {
    const server = new StandInKurrentDb();
    const store = open(server);
    await store.appendToStream('Account-1', Array.from({ length: 600 }, (_, n) => ({ type: 'Noted', data: { n } })));
    const [newest] = server.log.slice(-1);
    server.requests.length = 0;
    expect((await store.findEvent('Account-1', newest!.id))?.revision).toBe(599n);
    expect(server.requests).toHaveLength(1);
    expect(Number(server.requests[0]?.options['maxCount'])).toBeLessThanOrEqual(8);
  });
});
