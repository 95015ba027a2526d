import { StrataError, verifyLog, type EventStore } from '@strata/core';
import { type BackupResult, type LogProblem } from '@strata/core/adapter';
import { renameSync, statSync } from 'node:fs';
import type { SqliteDatabase } from './sqlite-database';
import { sqliteFault } from './sqlite-faults';

/** A backup step this large copies every page at once (SQLite's step takes a page count). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the database to `file` with SQLite's backup API in a single step: one read transaction,
 * so the copy is consistent while other processes keep writing (WAL readers never block
 * writers), and those writes cannot restart it. The copy is then read back whole through an
 * event store `open` makes on it (checksums, revisions, integrity_check) before it counts; a
 * copy that fails is renamed `<file>.invalid` and the backup fails.
 */
export async function backupDatabase(db: SqliteDatabase, file: string, open: (file: string) => EventStore): Promise<BackupResult> {
  try {
    await db.backup(file, { progress: () => ALL_PAGES });
  } catch (error) {
    throw sqliteFault(error, file) ?? error;
  }
  const copy = open(file);
  let verification;
  try {
    verification = await verifyLog(copy);
  } finally {
    await copy.close();
  }
  if (verification.problems.length > 0) {
    renameSync(file, `${file}.invalid`);
    const first = verification.problems[0] as LogProblem;
    throw new StrataError(
      'BACKUP_INVALID',
      `The copy failed its check with ${verification.problems.length} problem(s), the first at ${first.position ?? 'file level'}: ${first.reason}. ` +
        `It was kept as '${file}.invalid', not as a backup. The store itself is likely damaged: run 'verify' on it.`,
    );
  }
  return { file, bytes: statSync(file).size, events: verification.events };
}
