import { type StrataError } from '@strata/core';
import { StorageFaultError, StoreCorruptedError } from '@strata/core/adapter';
import { isSqliteError, storeBusyError } from './sqlite-database';

/**
 * The Strata error a SQLite driver error means, or undefined when it means none of these:
 * locked past the busy timeout (STORE_BUSY), no room to write (STORAGE_FULL: a full disk or
 * quota), another write fault (STORAGE_WRITE_FAILED: an I/O error, or a file-size limit, which
 * SQLite reports as an I/O error), or a damaged file (STORE_CORRUPTED).
 */
export function sqliteFault(error: unknown, file?: string): StrataError | undefined {
  const busy = storeBusyError(error);
  if (busy || !isSqliteError(error)) return busy;
  const where = file === undefined ? 'the SQLite file' : `'${file}'`;
  if (error.code === 'SQLITE_FULL') {
    return new StorageFaultError(
      'STORAGE_FULL',
      `The disk holding ${where} is full or over its quota (${error.code}); nothing was written. Free space (or raise the quota), then retry: the app recovers by itself.`,
      { cause: error },
    );
  }
  if (error.code.startsWith('SQLITE_IOERR')) {
    return new StorageFaultError(
      'STORAGE_WRITE_FAILED',
      `Writing ${where} failed (${error.code}: ${error.message}); nothing was written. Check the disk: free space, a file-size limit (ulimit -f), or I/O errors in the system log.`,
      { cause: error },
    );
  }
  if (error.code.startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB') {
    return corruptedError(error, where);
  }
  return undefined;
}

/** A damaged or truncated file, or one that is not a database: what to do about it. */
export function corruptedError(error: Error & { code: string }, where: string): StoreCorruptedError {
  return new StoreCorruptedError(
    `${where} is damaged (${error.code}: ${error.message}). Nothing was changed. Run the CLI's 'verify' to see what is damaged, and restore from a backup ('restore <backup> --verify', see README 'Backup and restore').`,
    { cause: error },
  );
}
