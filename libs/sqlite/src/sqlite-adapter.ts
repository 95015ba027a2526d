import { ConfigurationError, StrataError, type Environment } from '@strata/core';
import { type EventLogAdapter } from '@strata/core/adapter';
import { join, resolve } from 'node:path';
import { SqliteDocumentStore } from './documents/sqlite-document-store';
import { SqliteEventStore } from './sqlite-event-store';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';
import { isSqliteError, type SqliteDatabaseOptions, type SqliteSynchronous } from './sqlite-database';
import { sqliteFault } from './sqlite-faults';

const SYNCHRONOUS: readonly SqliteSynchronous[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/** Reads the embedded store's settings: `STRATA_DATA_DIR`, `STRATA_SQLITE_SYNCHRONOUS`, `STRATA_SQLITE_BUSY_TIMEOUT_MS`. */
export function sqliteOptionsFromEnv(env: Environment): SqliteDatabaseOptions {
  const dataDir = env['STRATA_DATA_DIR']?.trim() || './data';
  const synchronous = (env['STRATA_SQLITE_SYNCHRONOUS']?.trim() || 'FULL').toUpperCase();
  if (!SYNCHRONOUS.includes(synchronous as SqliteSynchronous)) {
    throw new ConfigurationError(
      'STRATA_SQLITE_SYNCHRONOUS',
      `'${synchronous}' is not a SQLite synchronous mode. Use one of: ${SYNCHRONOUS.join(', ')} (FULL is the safe default).`,
    );
  }
  const timeoutText = env['STRATA_SQLITE_BUSY_TIMEOUT_MS']?.trim() || '5000';
  const busyTimeoutMs = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText) || busyTimeoutMs > 600_000) {
    throw new ConfigurationError(
      'STRATA_SQLITE_BUSY_TIMEOUT_MS',
      `'${timeoutText}' is not a whole number of milliseconds from 0 to 600000.`,
    );
  }
  return {
    filename: join(resolve(dataDir), 'strata.db'),
    synchronous: synchronous as SqliteSynchronous,
    busyTimeoutMs,
  };
}

/**
 * The embedded backend, selected with `STRATA_EVENT_STORE=sqlite` (and `STRATA_READ_STORE=sqlite`).
 * Events, snapshots and read models share one file under `STRATA_DATA_DIR`, each store on its own connection.
 */
export function sqliteAdapter(overrides: Partial<SqliteDatabaseOptions> = {}): EventLogAdapter {
  return {
    name: 'sqlite',
    createEventStore: (env) => openInDataDir(env, overrides, (options) => SqliteEventStore.open(options)),
    createDocumentStore: (env) => openInDataDir(env, overrides, (options) => SqliteDocumentStore.open(options)),
    createSnapshotStore: (env) => openInDataDir(env, overrides, (options) => SqliteSnapshotStore.open(options)),
  };
}

/** SQLite's codes for a file it cannot create, write, or open. */
const UNUSABLE_FILE = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM']);

/**
 * Opens a store on the file `STRATA_DATA_DIR` names. A folder that cannot be created or a file
 * that cannot be opened is blamed on the variable, in one line, rather than left as a stack
 * trace; a damaged file or a full disk is named as such, with what to do about it.
 */
function openInDataDir<T>(env: Environment, overrides: Partial<SqliteDatabaseOptions>, open: (options: SqliteDatabaseOptions) => T): T {
  const options = { ...sqliteOptionsFromEnv(env), ...overrides };
  try {
    return open(options);
  } catch (error) {
    // Damage or a full disk is not the folder's fault: permission advice would mislead.
    const fault = StrataError.isStrataError(error) ? undefined : sqliteFault(error, options.filename);
    if (fault && fault.code !== 'STORE_BUSY') throw fault;
    const reason = unusableFileReason(error);
    if (overrides.filename !== undefined || reason === undefined) throw error;
    throw new ConfigurationError(
      'STRATA_DATA_DIR',
      `cannot keep the embedded store at '${options.filename}': ${reason}. Point it at a folder this process may create and write.`,
    );
  }
}

/** Why the file cannot be used, when that is the error's meaning; undefined for any other error. */
function unusableFileReason(error: unknown): string | undefined {
  if (isSqliteError(error)) return UNUSABLE_FILE.has(error.code) ? error.message : undefined;
  return isFileSystemError(error) ? error.message : undefined;
}

// By shape, not instanceof: Node's own errors come from another realm under some runners (jest).
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
