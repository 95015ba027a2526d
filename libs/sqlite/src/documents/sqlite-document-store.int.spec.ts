import { StrataError, type Position } from '@strata/core';
import { describeDocumentStoreContract } from '@strata/core/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openSqliteDatabase, type SqliteDatabase } from '../sqlite-database';
import { DOCUMENT_STORE_MIGRATIONS, createIndexSql, createTableSql, naturalIndexName } from './document-schema';
import { SqliteEventStore } from '../sqlite-event-store';
import { SqliteDocumentStore } from './sqlite-document-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-documents-'));
let n = 0;
const file = () => join(dir, `documents-${n++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeDocumentStoreContract('sqlite (own file)', () => Promise.resolve(SqliteDocumentStore.open({ filename: file() })));

// Handles the shared-file stores do not own; closed after each test, once the store is closed.
const shared: SqliteDatabase[] = [];
afterEach(() => shared.splice(0).forEach((db) => db.close()));

describeDocumentStoreContract('sqlite (file shared with the event store)', () => {
  const db = openSqliteDatabase({ filename: file(), synchronous: 'NORMAL' });
  shared.push(db);
  SqliteEventStore.onDatabase(db);
  return Promise.resolve(SqliteDocumentStore.onDatabase(db));
});

async function failure(promise: Promise<unknown>): Promise<StrataError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!StrataError.isStrataError(error)) throw new Error(`expected a StrataError, got ${String(error)}`);
  return error;
}

describe('SqliteDocumentStore', () => {
  it('keeps documents, indexes and checkpoints across a reopen', async () => {
    const filename = file();
    const first = SqliteDocumentStore.open({ filename });
    await first.collection('users').createIndex({ email: 1 }, { unique: true });
    await first.transaction(async (tx) => {
      await tx.collection('users').insertOne({ _id: 'u1', email: 'ada@x', tags: ['a'] });
      await tx.setCheckpoint('users', '0000000000000005' as Position);
    });
    await first.close();

    const second = SqliteDocumentStore.open({ filename });
    expect(await second.collection('users').findOne({ tags: 'a' })).toEqual({ _id: 'u1', email: 'ada@x', tags: ['a'] });
    expect(await second.getCheckpoint('users')).toBe('0000000000000005');
    expect(await second.collection('users').listIndexes()).toEqual([{ name: 'email_1', keys: [['email', 1]], unique: true }]);
    expect((await failure(second.collection('users').insertOne({ _id: 'u2', email: 'ada@x' }))).code).toBe('DUPLICATE_KEY');
    await second.close();
  });

  it('leaves no trace of a collection first created by a unit of work that failed', async () => {
    const store = SqliteDocumentStore.open({ filename: file() });
    await expect(
      store.transaction(async (tx) => {
        await tx.collection('fresh').insertOne({ _id: 'f1' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.collection('fresh').countDocuments()).toBe(0);
    expect(store.explain('fresh')).toEqual([]);
    await store.collection('fresh').insertOne({ _id: 'f2' });
    expect(await store.collection('fresh').countDocuments()).toBe(1);
    await store.close();
  });

  describe('two connections to one file, as two processes would have', () => {
    let filename: string;
    let a: SqliteDocumentStore;
    let b: SqliteDocumentStore;
    beforeEach(() => {
      filename = file();
      a = SqliteDocumentStore.open({ filename });
      b = SqliteDocumentStore.open({ filename });
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it("enforces a unique index through SQLite when the other connection committed the key first", async () => {
      await a.collection('users').createIndex({ email: 1 }, { unique: true });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const pending = a.transaction(async (tx) => {
        await tx.collection('users').insertOne({ _id: 'from-a', email: 'same@x' });
        await gate;
      });
      await b.collection('users').insertOne({ _id: 'from-b', email: 'same@x' });
      release();
      const error = await failure(pending);
      expect(error.code).toBe('DUPLICATE_KEY');
      expect(error.message).toContain("'email_1'");
      expect(error.message).toContain('same@x');
      expect(await a.collection('users').find({})).toEqual([{ _id: 'from-b', email: 'same@x' }]);
    });

    it('fails a unit of work whose document the other connection changed meanwhile', async () => {
      await a.collection('items').insertOne({ _id: 'i1', n: 0 });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const pending = a.transaction(async (tx) => {
        await tx.collection('items').updateOne({ _id: 'i1' }, { $inc: { n: 1 } });
        await tx.setCheckpoint('items', '0000000000000001' as Position);
        await gate;
      });
      await b.collection('items').updateOne({ _id: 'i1' }, { $inc: { n: 10 } });
      release();
      expect((await failure(pending)).code).toBe('WRITE_CONFLICT');
      expect(await a.collection('items').findOne({ _id: 'i1' })).toEqual({ _id: 'i1', n: 10 });
      expect(await a.getCheckpoint('items')).toBeNull();
    });

    it('serves a collection the other connection renamed over, and writes to one it dropped', async () => {
      await a.collection('live').insertOne({ _id: 'old' });
      expect(await a.collection('live').countDocuments()).toBe(1);
      await b.collection('shadow').createIndex({ n: 1 }, { unique: true });
      await b.collection('shadow').insertOne({ _id: 'new', n: 1 });
      await b.transaction(async (tx) => tx.renameCollection('shadow', 'live'));
      expect(await a.collection('live').find({})).toEqual([{ _id: 'new', n: 1 }]);
      expect((await failure(a.collection('live').insertOne({ _id: 'dup', n: 1 }))).code).toBe('DUPLICATE_KEY');
      expect(await b.dropCollection('live')).toBe(true);
      expect(await a.collection('live').findOne({ _id: 'new' })).toBeNull();
      await a.collection('live').insertOne({ _id: 'again', n: 1 });
      await a.collection('live').deleteOne({ _id: 'missing' });
      expect(await b.collection('live').find({})).toEqual([{ _id: 'again', n: 1 }]);
    });

    it("applies an index the other connection declared to this connection's next writes", async () => {
      await a.collection('users').insertOne({ _id: 'u1', email: 'x' });
      await b.collection('users').createIndex({ email: 1 }, { unique: true });
      expect((await failure(a.collection('users').insertOne({ _id: 'u2', email: 'x' }))).code).toBe('DUPLICATE_KEY');
      expect((await failure(a.collection('users').insertOne({ _id: 'u3', email: ['y'] }))).code).toBe('INVALID_DOCUMENT');
      // The same declaration from both connections is one index.
      expect(await a.collection('users').createIndex({ email: 1 }, { unique: true })).toBe('email_1');
      expect(await b.collection('users').listIndexes()).toHaveLength(1);
    });

    it('has an exclusive writer index a collection it started empty once loaded, at declareIndexes', async () => {
      const writer = await a.exclusiveWriter(['entries'], { indexes: { entries: [{ keys: { ledger: 1 } }, { keys: { ref: 1 }, options: { unique: true } }] } });
      await writer.transaction(async (tx) => {
        for (let n = 0; n < 50; n++) await tx.collection('entries').insertOne({ _id: `e${n}`, ledger: `l${n % 5}`, ref: `r${n}` });
      });
      // The unique index decides which writes succeed, so it is there from the start.
      expect((await b.collection('entries').listIndexes()).map((index) => index.name)).toEqual(['ref_1']);
      await writer.declareIndexes();
      expect((await b.collection('entries').listIndexes()).map((index) => index.name)).toEqual(['ref_1', 'ledger_1']);
      expect(a.explain('entries', { ledger: 'l1' }).join(' ')).toContain('ledger_1');
      expect(await a.collection('entries').countDocuments({ ledger: 'l1' })).toBe(10);
      writer.close();
    });

    it("fails an exclusive writer's commit based on a document the other connection changed, then reads it afresh", async () => {
      await a.collection('ledgers').insertOne({ _id: 'x', balance: 1 });
      const writer = await a.exclusiveWriter(['ledgers']);
      const bump = () =>
        writer.transaction(async (tx) => {
          const ledger = await tx.collection<{ _id: string; balance: number }>('ledgers').findOne({ _id: 'x' });
          await tx.collection('ledgers').replaceOne({ _id: 'x' }, { balance: (ledger?.balance ?? 0) + 1 });
        });
      await bump();
      await bump();
      await b.collection('ledgers').updateOne({ _id: 'x' }, { $set: { balance: 10 } });
      expect((await failure(bump())).code).toBe('WRITE_CONFLICT');
      await bump();
      expect(await b.collection('ledgers').findOne({ _id: 'x' })).toEqual({ _id: 'x', balance: 11 });
      writer.close();
    });

    it("fails an exclusive writer's insert of a document the other connection added where it had seen none, then sees it", async () => {
      const writer = await a.exclusiveWriter(['ledgers']);
      await writer.transaction(async (tx) => tx.collection('ledgers').insertOne({ _id: 'first' }));
      await b.collection('ledgers').insertOne({ _id: 'x', by: 'b' });
      const upsert = () => writer.transaction(async (tx) => tx.collection('ledgers').replaceOne({ _id: 'x' }, { by: 'a' }, { upsert: true }));
      expect((await failure(upsert())).code).toBe('DUPLICATE_KEY');
      expect(await upsert()).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      writer.close();
    });

    it('inserts many documents in one unit, naming the one the other connection took meanwhile, and writes none', async () => {
      const error = await failure(
        a.transaction(async (tx) => {
          for (let n = 0; n < 200; n++) await tx.collection('rows').insertOne({ _id: `r${String(n).padStart(3, '0')}` });
          await b.collection('rows').insertOne({ _id: 'r137', by: 'b' });
        }),
      );
      expect(error.code).toBe('DUPLICATE_KEY');
      expect(error.message).toContain('r137');
      expect(await a.collection('rows').find({})).toEqual([{ _id: 'r137', by: 'b' }]);
      await a.transaction(async (tx) => {
        for (let n = 0; n < 200; n++) if (n !== 137) await tx.collection('rows').insertOne({ _id: `r${String(n).padStart(3, '0')}` });
      });
      expect(await a.collection('rows').countDocuments()).toBe(200);
    });
  });

  it('builds an index with a smaller page cache and restores the cache size after', async () => {
    const db = openSqliteDatabase({ filename: file() });
    db.pragma('cache_size = -65536');
    const store = SqliteDocumentStore.onDatabase(db);
    await store.collection('rows').insertOne({ _id: 'r1', n: 1 });
    await store.collection('rows').createIndex({ n: 1 });
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(await store.collection('rows').listIndexes()).toEqual([{ name: 'n_1', keys: [['n', 1]], unique: false }]);
    await store.close();
    db.close();
  });

  it('upgrades a file whose indexes predate recorded SQLite index names', async () => {
    const db = openSqliteDatabase({ filename: file() });
    migrate(db, 'documents', DOCUMENT_STORE_MIGRATIONS.slice(0, 1));
    const index = { name: 'email_1', keys: [['email', 1]] as [string, 1][], unique: true };
    db.exec(createTableSql('users'));
    db.prepare('INSERT INTO strata_document_indexes (collection, name, keys, is_unique) VALUES (?, ?, ?, 1)').run('users', index.name, JSON.stringify(index.keys));
    db.exec(createIndexSql('users', index, naturalIndexName('users', index.name)));
    const store = SqliteDocumentStore.onDatabase(db);
    await store.collection('users').insertOne({ _id: 'u1', email: 'ada@x' });
    const error = await failure(store.collection('users').insertOne({ _id: 'u2', email: 'ada@x' }));
    expect(error.code).toBe('DUPLICATE_KEY');
    expect(error.message).toContain("'email_1'");
    await store.close();
    db.close();
  });

  it('shares a file with the event store and leaves it open when closed', async () => {
    const db = openSqliteDatabase({ filename: file() });
    const events = SqliteEventStore.onDatabase(db);
    const documents = SqliteDocumentStore.onDatabase(db);
    await events.appendToStream('Account-1', [{ type: 'Opened', data: {} }]);
    await documents.collection('accounts').insertOne({ _id: 'Account-1', opened: true });
    await documents.close();
    expect(db.open).toBe(true);
    expect((await events.readAll()).events).toHaveLength(1);
    await events.close();
    db.close();
  });
});
