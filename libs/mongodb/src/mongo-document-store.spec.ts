import type { Position } from '@strata/core';
import { StandInServer } from '../test/mongo-stand-in';
import { MongoDocumentStore } from './mongo-document-store';

// Server-free tests at the client boundary: a stand-in for the driver's client that behaves as a
// replica set does where no real one here can be made to (see test/mongo-stand-in.ts). The same
// guarantees run against a real replica set in the contract suites wherever Docker is.

const open = (server: StandInServer): Promise<MongoDocumentStore> => MongoDocumentStore.connectWith(server.client(), 'strata');
const at = (text: string): Position => text as Position;

describe('MongoDB units of work against a replica set that misbehaves', () => {
  it('a commit that succeeds and then reports UnknownTransactionCommitResult is retried, applied once, and reported committed', async () => {
    const server = new StandInServer();
    const store = await open(server);
    server.unknownCommitResults = 1;
    await store.transaction(async (tx) => {
      await tx.collection('totals').updateOne({ _id: 'all' }, { $inc: { total: 5 } }, { upsert: true });
      await tx.setCheckpoint('tally', at('0000000000000001'));
    });
    expect(await store.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 5 });
    expect(await store.getCheckpoint('tally')).toBe('0000000000000001');
    expect(server.commits).toBe(1);
  });

  it('runs a unit again on a fresh handle when its commit aborted with TransientTransactionError', async () => {
    const server = new StandInServer();
    const store = await open(server);
    server.transientCommitFailures = 1;
    let runs = 0;
    await store.transaction(async (tx) => {
      runs += 1;
      await tx.collection('totals').updateOne({ _id: 'all' }, { $inc: { total: 5 } }, { upsert: true });
    });
    expect(runs).toBe(2);
    expect(await store.collection('totals').findOne({ _id: 'all' })).toEqual({ _id: 'all', total: 5 });
  });

  it('a duplicate on a secondary unique index inside a unit fails only that operation; the unit commits the rest', async () => {
    const server = new StandInServer();
    const store = await open(server);
    const users = store.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ _id: 'u1', email: 'ada@x' });
    await users.insertOne({ _id: 'u2', email: 'bob@x' });
    await store.transaction(async (tx) => {
      const inUnit = tx.collection('users');
      await expect(inUnit.insertOne({ _id: 'u3', email: 'ada@x' })).rejects.toMatchObject({ code: 'DUPLICATE_KEY', index: 'email_1' });
      await expect(inUnit.updateOne({ _id: 'u2' }, { $set: { email: 'ada@x' } })).rejects.toMatchObject({ code: 'DUPLICATE_KEY', index: 'email_1' });
      await expect(inUnit.replaceOne({ _id: 'u2' }, { email: 'ada@x' })).rejects.toMatchObject({ code: 'DUPLICATE_KEY', index: 'email_1' });
      await expect(inUnit.insertOne({ _id: 'u1', email: 'new@x' })).rejects.toMatchObject({ code: 'DUPLICATE_KEY', index: '_id_' });
      await inUnit.insertOne({ _id: 'u4', email: 'eve@x' });
      await tx.setCheckpoint('users', at('0000000000000002'));
    });
    expect((await users.find({}, { sort: { _id: 1 } })).map((user) => user['email'])).toEqual(['ada@x', 'bob@x', 'eve@x']);
    expect(await store.getCheckpoint('users')).toBe('0000000000000002');
  });

  it('a unit whose callback caught a server error that aborted the transaction fails with that error, not TRANSACTION_ABORTED', async () => {
    const server = new StandInServer();
    const store = await open(server);
    await store.collection('people').insertOne({ _id: 'p1', name: 'ada' });
    let aborted: Error | undefined;
    const outcome = await store
      .transaction(async (tx) => {
        // The server refuses $inc on a string and aborts the transaction with it.
        await tx.collection('people').updateOne({ _id: 'p1' }, { $inc: { name: 1 } }).catch(() => undefined);
        aborted = tx.abortedBy?.();
        await tx.setCheckpoint('people', at('0000000000000003'));
      })
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ code: 'INVALID_UPDATE' });
    // The unit names the refusal while it runs, so the projection engine can blame the handler that met it.
    expect(aborted).toBe(outcome);
    expect(await store.getCheckpoint('people')).toBeNull();
  });

  it('a caught transient write conflict aborts the unit but is not named as its refusal: running the unit again is the cure', async () => {
    const server = new StandInServer();
    const store = await open(server);
    await store.collection('docs').insertOne({ _id: 'a', n: 1 });
    server.transientWriteConflicts = 1;
    let aborted: Error | undefined = new Error('not asked');
    const outcome = await store
      .transaction(async (tx) => {
        await tx.collection('docs').updateMany({}, { $inc: { n: 1 } }).catch(() => undefined);
        aborted = tx.abortedBy?.();
        await tx.setCheckpoint('docs', at('0000000000000004'));
      })
      .catch((error: unknown) => error);
    expect(aborted).toBeUndefined();
    expect(outcome).toMatchObject({ code: 'WRITE_CONFLICT' });
    expect(await store.getCheckpoint('docs')).toBeNull();
  });
});

describe('MongoDB 7.0, whose updates take no sort', () => {
  it('updates and replaces the first match in _id order, and the lease fence by _id works', async () => {
    const server = new StandInServer('7.0.12');
    const store = await open(server);
    const items = store.collection('items');
    await items.insertOne({ _id: 'b', status: 'new' });
    await items.insertOne({ _id: 'a', status: 'new' });
    await expect(items.updateOne({ status: 'new' }, { $set: { status: 'seen' } })).resolves.toMatchObject({ matchedCount: 1 });
    await expect(items.replaceOne({ status: 'new' }, { status: 'replaced' })).resolves.toMatchObject({ matchedCount: 1 });
    expect(await items.find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 'a', status: 'seen' },
      { _id: 'b', status: 'replaced' },
    ]);
    await store.transaction(async (tx) => {
      await tx.collection('strata_leases').updateOne({ _id: 'tally' }, { $set: { owner: 'me' } }, { upsert: true });
    });
    expect(server.calls.filter((call) => call.options['sort'] !== undefined && /update|replace/i.test(call.op))).toEqual([]);
  });

  it('refuses a server older than 7.0 at connect, in one line naming the minimum', async () => {
    await expect(open(new StandInServer('6.0.5'))).rejects.toThrow(/^MONGODB_URL: the server runs MongoDB 6\.0\.5, and Strata needs MongoDB 7\.0 or newer/);
  });

  it('refuses a secondary reached with directConnection=true at connect', async () => {
    const secondary = new StandInServer('8.0.12', { setName: 'rs0', isWritablePrimary: false, secondary: true });
    await expect(open(secondary)).rejects.toThrow(/^MONGODB_URL: .*secondary of replica set 'rs0'.*without directConnection=true/);
  });
});

describe('MongoDB concurrent writes and round trips', () => {
  it('two concurrent replaceOne upserts of one _id both succeed, as the server upserts', async () => {
    const store = await open(new StandInServer());
    const docs = store.collection('docs');
    await expect(Promise.all([docs.replaceOne({ _id: 'd' }, { n: 1 }, { upsert: true }), docs.replaceOne({ _id: 'd' }, { n: 2 }, { upsert: true })])).resolves.toHaveLength(2);
    expect(await docs.countDocuments()).toBe(1);
  });

  it('a standalone updateMany whose transaction hits a transient write conflict is retried, not reported', async () => {
    const server = new StandInServer();
    const store = await open(server);
    const docs = store.collection('docs');
    await docs.insertOne({ _id: 'a', n: 1 });
    await docs.insertOne({ _id: 'b', n: 1 });
    server.transientWriteConflicts = 1;
    await expect(docs.updateMany({}, { $inc: { n: 1 } })).resolves.toMatchObject({ matchedCount: 2 });
    expect((await docs.find({})).map((doc) => doc['n'])).toEqual([2, 2]);
  });

  it("creates indexes with commitQuorum 'majority' and a time limit, so a member that is down cannot hang the runner", async () => {
    const server = new StandInServer();
    const store = await open(server);
    await store.collection('users').createIndex({ email: 1 }, { unique: true });
    const [created] = server.calls.filter((call) => call.op === 'createIndex');
    expect(created?.options).toMatchObject({ commitQuorum: 'majority', maxTimeMS: expect.any(Number) as number });
  });

  it('an insert in a unit costs one round trip when the collection has no unique secondary index', async () => {
    const server = new StandInServer();
    const store = await open(server);
    await store.transaction(async (tx) => {
      const before = server.calls.length;
      await tx.collection('items').insertOne({ _id: 'i1', n: 1 });
      expect(server.calls.slice(before).map((call) => call.op)).toEqual(['updateOne']);
    });
    expect(await store.collection('items').findOne({ _id: 'i1' })).toEqual({ _id: 'i1', n: 1 });
  });
});
