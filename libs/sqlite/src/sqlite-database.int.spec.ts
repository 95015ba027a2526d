import { ConfigurationError, StrataError } from '@strata/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteAdapter, sqliteOptionsFromEnv } from './sqlite-adapter';
import { migrate, openSqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-database-'));
let n = 0;
const file = () => join(dir, `db-${n++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('openSqliteDatabase', () => {
  it('opens in WAL mode with synchronous FULL and a 5 s busy timeout by default', () => {
    const db = openSqliteDatabase({ filename: file() });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('applies the synchronous mode and busy timeout it is given', () => {
    const db = openSqliteDatabase({ filename: file(), synchronous: 'NORMAL', busyTimeoutMs: 250 });
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    db.close();
  });

  it('creates missing folders', () => {
    const db = openSqliteDatabase({ filename: join(dir, 'a', 'b', 'strata.db') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('gives up with SQLITE_BUSY once another connection holds the write lock past the busy timeout', () => {
    const filename = file();
    const holder = openSqliteDatabase({ filename });
    const waiter = openSqliteDatabase({ filename, busyTimeoutMs: 50 });
    holder.exec('CREATE TABLE t (x INTEGER)');
    holder.exec('BEGIN IMMEDIATE');
    expect(errorOf(() => waiter.exec('INSERT INTO t VALUES (1)'))).toMatchObject({ code: 'SQLITE_BUSY' });
    holder.exec('COMMIT');
    waiter.exec('INSERT INTO t VALUES (1)');
    expect(holder.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
    holder.close();
    waiter.close();
  });
});

describe('migrate', () => {
  it('applies each step once, and only the new ones when steps are added', () => {
    const db = openSqliteDatabase({ filename: file() });
    migrate(db, 'test', ['CREATE TABLE a (x)']);
    migrate(db, 'test', ['CREATE TABLE a (x)']);
    migrate(db, 'test', ['CREATE TABLE a (x)', 'CREATE TABLE b (x)']);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b') ORDER BY name").all();
    expect(tables).toEqual([{ name: 'a' }, { name: 'b' }]);
    db.close();
  });

  it('refuses a file whose schema a newer version wrote, changing nothing', () => {
    const db = openSqliteDatabase({ filename: file() });
    migrate(db, 'test', ['CREATE TABLE a (x)', 'CREATE TABLE b (x)']);
    const error = errorOf(() => migrate(db, 'test', ['CREATE TABLE a (x)']));
    expect(error).toBeInstanceOf(StrataError);
    expect(error).toMatchObject({ code: 'SCHEMA_TOO_NEW' });
    expect((error as Error).message).toContain("'test' schema is at version 2, newer than the 1 this version of Strata knows");
    expect(db.prepare("SELECT version FROM strata_schema WHERE component = 'test'").get()).toEqual({ version: 2 });
    db.close();
  });
});

describe('sqliteOptionsFromEnv', () => {
  it('defaults to ./data/strata.db, FULL and 5000 ms', () => {
    expect(sqliteOptionsFromEnv({})).toEqual({ filename: join(process.cwd(), 'data', 'strata.db'), synchronous: 'FULL', busyTimeoutMs: 5000 });
  });

  it('reads the folder, the mode in any case, and the timeout', () => {
    const env = { STRATA_DATA_DIR: dir, STRATA_SQLITE_SYNCHRONOUS: ' normal ', STRATA_SQLITE_BUSY_TIMEOUT_MS: '0' };
    expect(sqliteOptionsFromEnv(env)).toEqual({ filename: join(dir, 'strata.db'), synchronous: 'NORMAL', busyTimeoutMs: 0 });
  });

  it.each([
    ['STRATA_SQLITE_SYNCHRONOUS', 'sometimes'],
    ['STRATA_SQLITE_BUSY_TIMEOUT_MS', 'abc'],
    ['STRATA_SQLITE_BUSY_TIMEOUT_MS', '-1'],
    ['STRATA_SQLITE_BUSY_TIMEOUT_MS', '1.5'],
    ['STRATA_SQLITE_BUSY_TIMEOUT_MS', '600001'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    const error = errorOf(() => sqliteOptionsFromEnv({ [variable]: value }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ variable });
  });
});

describe('sqliteAdapter', () => {
  it('keeps events, snapshots and read models in one file under STRATA_DATA_DIR', async () => {
    const env = { STRATA_DATA_DIR: join(dir, 'adapter') };
    const adapter = sqliteAdapter();
    const events = await adapter.createEventStore(env);
    const documents = await adapter.createDocumentStore?.(env);
    const snapshots = await adapter.createSnapshotStore?.(env, events);
    await events.appendToStream('Note-1', [{ type: 'Noted', data: {} }], { expectedRevision: 'no_stream' });
    await Promise.all([events.close(), documents?.close(), snapshots?.close()]);
    const db = openSqliteDatabase({ filename: join(dir, 'adapter', 'strata.db') });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['strata_events', 'strata_snapshots']));
    expect(db.prepare('SELECT COUNT(*) AS n FROM strata_events').get()).toEqual({ n: 1 });
    db.close();
  });

  it('blames STRATA_DATA_DIR, in one line, for a folder it cannot create', () => {
    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, '');
    const error = errorOf(() => sqliteAdapter().createEventStore({ STRATA_DATA_DIR: join(notAFolder, 'data') }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ variable: 'STRATA_DATA_DIR' });
    expect((error as Error).message).toMatch(/^STRATA_DATA_DIR: cannot keep the embedded store at '.*strata\.db': ENOTDIR/);
  });

  it('names a file that is not a database as damaged, with restore advice rather than folder advice, leaving it as it was', () => {
    const folder = join(dir, 'not-a-db');
    rmSync(folder, { recursive: true, force: true });
    openSqliteDatabase({ filename: join(folder, 'x.db') }).close();
    const text = 'plain text, not SQLite '.repeat(100);
    writeFileSync(join(folder, 'strata.db'), text);
    const error = errorOf(() => sqliteAdapter().createEventStore({ STRATA_DATA_DIR: folder }));
    expect(error).toMatchObject({ code: 'STORE_CORRUPTED' });
    expect((error as Error).message).toContain('file is not a database');
    expect((error as Error).message).toContain("'restore <backup> --verify'");
    expect((error as Error).message).not.toMatch(/folder|permission/);
    expect(readFileSync(join(folder, 'strata.db'), 'utf8')).toBe(text);
  });
});

describe('SqliteEventStore reading a damaged row', () => {
  it('names the event it cannot parse instead of throwing a bare SyntaxError', async () => {
    const filename = file();
    const store = SqliteEventStore.open({ filename });
    await store.appendToStream('Note-1', [{ type: 'Noted', data: { text: 'a' } }], { expectedRevision: 'no_stream' });
    const db = openSqliteDatabase({ filename });
    db.prepare("UPDATE strata_events SET data = '{not json' WHERE stream_id = 'Note-1'").run();
    db.close();

    const read = async () => {
      for await (const event of store.readStream('Note-1')) void event;
    };
    await expect(read()).rejects.toMatchObject({
      code: 'EVENT_INTEGRITY_FAILED',
      position: '0000000000000001',
      message: expect.stringContaining(
        "The event at position 0000000000000001 (revision 0 of stream 'Note-1', Noted) failed its integrity check: its data or metadata is not valid JSON.",
      ) as unknown,
    });
    await store.close();
  });
});
