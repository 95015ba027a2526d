import { StrataError } from '@strata/core';
import { StoreCorruptedError } from '@strata/core/adapter';
import Database from 'better-sqlite3';
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteDatabaseOptions {
  /** A file path, or ':memory:'. Missing folders are created. */
  readonly filename: string;
  /** FULL (the default) makes every acknowledged commit survive power loss. */
  readonly synchronous?: SqliteSynchronous;
  /** How long a writer waits for another process's write lock. */
  readonly busyTimeoutMs?: number;
}

export type SqliteDatabase = Database.Database;

/** Opens a SQLite file in WAL mode with Strata's pragmas, so several processes can share it. */
export function openSqliteDatabase(options: SqliteDatabaseOptions): SqliteDatabase {
  surviveFileSizeLimit();
  if (options.filename !== ':memory:') {
    mkdirSync(dirname(options.filename), { recursive: true });
    assertNotTruncated(options.filename);
  }
  const db = new Database(options.filename, { timeout: options.busyTimeoutMs ?? 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  return db;
}

/**
 * Applies each component's migrations once, in order, recording the version reached, so
 * two processes opening one file never apply a step twice.
 */
export function migrate(db: SqliteDatabase, component: string, steps: readonly string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS strata_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const apply = db.transaction(() => {
    const row = db.prepare('SELECT version FROM strata_schema WHERE component = ?').get(component) as
      | { version: number }
      | undefined;
    const from = row?.version ?? 0;
    if (from > steps.length) {
      throw new StrataError(
        'SCHEMA_TOO_NEW',
        `The file's '${component}' schema is at version ${from}, newer than the ${steps.length} this version of Strata knows. ` +
          'A newer Strata wrote it: run that version, or point this one at another file.',
      );
    }
    steps.slice(from).forEach((sql) => db.exec(sql));
    if (from < steps.length) {
      db.prepare('INSERT INTO strata_schema (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version').run(
        component,
        steps.length,
      );
    }
  });
  apply.immediate();
}

/**
 * Whether `error` is a SQLite driver error. Recognised by its `SQLITE_*` code alone: the native
 * addon keeps the error class of the first module instance that loaded it, so `instanceof`
 * fails where modules are loaded more than once (jest reloads them per test file).
 */
export function isSqliteError(error: unknown): error is Error & { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_') && typeof message === 'string';
}

/**
 * SQLite's lock wait ran out: another connection (a replay, another process) held the write
 * lock past the busy timeout. Nothing was written; the caller may retry. HTTP answers 503.
 */
export function storeBusyError(error: unknown): StrataError | undefined {
  if (!isSqliteError(error) || !/^SQLITE_(BUSY|LOCKED)/.test(error.code)) return undefined;
  return new StrataError(
    'STORE_BUSY',
    `The SQLite file stayed locked by another writer past the busy timeout (${error.code}); nothing was written. ` +
      'Retry, or raise STRATA_SQLITE_BUSY_TIMEOUT_MS if long writes (a replay) are expected.',
    { cause: error },
  );
}

/**
 * A store's hold on its connection: it refuses use once the store is closed, and closes the
 * connection only when the store opened it (not when it was handed one another component owns).
 */
export class ConnectionHold {
  private closed = false;

  constructor(
    readonly db: SqliteDatabase,
    private readonly owned: boolean,
    /** How errors name the store, e.g. 'SQLite event store'. */
    private readonly storeName: string,
  ) {}

  assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', `The ${this.storeName} is closed; the app is shutting down.`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) this.db.close();
  }
}

let fileSizeSignalIgnored = false;

/**
 * Past a file-size limit (ulimit -f, RLIMIT_FSIZE) the kernel kills the process with SIGXFSZ
 * before the write can fail. With the signal handled, the write fails with EFBIG instead, and
 * the store reports STORAGE_WRITE_FAILED like any other refused write, with nothing lost.
 */
function surviveFileSizeLimit(): void {
  if (fileSizeSignalIgnored || process.platform === 'win32') return;
  fileSizeSignalIgnored = true;
  process.on('SIGXFSZ', () => undefined);
}

/** The SQLite header: page size at 16 (2 bytes), change counter at 24, page count at 28, and the counter it is valid for at 92. */
const HEADER_BYTES = 100;

/**
 * A file cut short (a copy stopped half way, a full disk during a copy) opens without complaint
 * and fails only when a missing page is read, perhaps long after the start. SQLite's header
 * records how many pages the file holds, so a shorter file is refused at once, in one line.
 */
function assertNotTruncated(filename: string): void {
  let fd: number;
  try {
    fd = openSync(filename, 'r');
  } catch {
    return; // Missing (created next) or unreadable (SQLite's own error names it).
  }
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES) return; // An empty file becomes a database; a stub is SQLite's NOTADB.
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(fd, header, 0, HEADER_BYTES, 0);
    if (header.toString('latin1', 0, 15) !== 'SQLite format 3') return;
    const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
    const pages = header.readUInt32BE(28);
    // The page count is only valid when written with the current change counter.
    if (pages === 0 || header.readUInt32BE(92) !== header.readUInt32BE(24)) return;
    if (size < pages * pageSize) {
      throw new StoreCorruptedError(
        `'${filename}' is truncated: ${size} bytes, where its header records ${pages} pages of ${pageSize} bytes (${pages * pageSize}). ` +
          "Nothing was changed. Restore it from a backup ('restore <backup> --verify', see README 'Backup and restore'), or run the CLI's 'verify' to see what is left.",
      );
    }
  } finally {
    closeSync(fd);
  }
}
