import { type Filter } from '@strata/core';
import { BackendDocumentStore, validateCollectionName } from '@strata/core/adapter';
import { openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from '../sqlite-database';
import { SqliteDocumentBackend } from './sqlite-document-backend';

/** The document connection's page cache, at most (KiB). */
const DOCUMENT_CACHE_KIB = 64 * 1024;

/**
 * The embedded read-model store: JSON documents in SQLite with MongoDB semantics from core
 * (mingo). Declared indexes become expression indexes that narrow candidates; a unit of work
 * commits as one SQLite transaction, checkpoints included.
 */
export class SqliteDocumentStore extends BackendDocumentStore {
  private constructor(private readonly sqlite: SqliteDocumentBackend) {
    super(sqlite, 'SQLite');
  }

  /** Opens (creating if needed) a document store on its own connection to a SQLite file. */
  static open(options: SqliteDatabaseOptions): SqliteDocumentStore {
    const db = openSqliteDatabase(options);
    // Read models are looked up by key in no particular order; SQLite's default 2 MiB page
    // cache makes a replay of a large read model page through the OS for most lookups.
    db.pragma(`cache_size = -${DOCUMENT_CACHE_KIB}`);
    return new SqliteDocumentStore(new SqliteDocumentBackend(db, true));
  }

  /** Uses a database another component opened (e.g. the event store's); closing the store leaves it open. */
  static onDatabase(db: SqliteDatabase): SqliteDocumentStore {
    return new SqliteDocumentStore(new SqliteDocumentBackend(db, false));
  }

  /** SQLite's query plan for finding a filter's candidates, one line per step; for checking index use. */
  explain(collection: string, filter: Filter = {}): string[] {
    return this.sqlite.explain(validateCollectionName(collection), filter);
  }
}
