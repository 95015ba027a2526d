import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../sqlite-database';
import { BackgroundCheckpointer } from './background-checkpointer';
import { SqliteDocumentStore } from './sqlite-document-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-checkpointer-'));
let n = 0;
const file = () => join(dir, `checkpoints-${n++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('BackgroundCheckpointer', () => {
  it("takes over a connection's checkpoints until stopped, then gives them back", async () => {
    const filename = file();
    const db = openSqliteDatabase({ filename, synchronous: 'NORMAL' });
    db.exec('CREATE TABLE t (v TEXT)');
    const checkpointer = BackgroundCheckpointer.start(db);
    expect(checkpointer).not.toBeNull();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let row = 0; row < 2_000; row++) insert.run('x'.repeat(2_000));
    // Rows reach the database file only by a checkpoint, and this connection takes none now.
    expect(statSync(filename).size).toBeLessThan(100_000);
    await until(() => statSync(filename).size > 2_000_000, 'the worker checkpointed the log into the database');
    checkpointer?.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('does nothing for an in-memory database', () => {
    const db = openSqliteDatabase({ filename: ':memory:' });
    expect(BackgroundCheckpointer.start(db)).toBeNull();
    db.close();
  });

  it('moves the checkpoints of an exclusive writer that keeps committing to a worker, and back when it closes', async () => {
    const db = openSqliteDatabase({ filename: file() });
    const store = SqliteDocumentStore.onDatabase(db);
    const writer = await store.exclusiveWriter(['rows']);
    await writer.transaction(async (tx) => tx.collection('rows').insertOne({ _id: 'first' }));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await writer.transaction(async (tx) => tx.collection('rows').insertOne({ _id: 'later' }));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writer.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(await store.collection('rows').countDocuments()).toBe(2);
    await store.close();
    db.close();
  });
});
