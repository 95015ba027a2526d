import { StrataError } from '@strata/core';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
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
