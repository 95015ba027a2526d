import { BackendDocumentStore, validateCollectionName, type Filter } from '@strata/core';
import { openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from '../sqlite-database';
import { SqliteDocumentBackend } from './sqlite-document-backend';

/**
 * The embedded read-model store: JSON documents in SQLite with MongoDB semantics from core
 * (mingo). Declared indexes become expression indexes that narrow candidates; a unit of work
 * commits as one SQLite transaction, checkpoints included.
 */
export class SqliteDocumentStore extends BackendDocumentStore {
  private constructor(private readonly sqlite: SqliteDocumentBackend) {
    super(sqlite, 'SQLite');
  }

  /** Opens (creating if needed) a document store in its own SQLite file. */
  static open(options: SqliteDatabaseOptions): SqliteDocumentStore {
    return new SqliteDocumentStore(new SqliteDocumentBackend(openSqliteDatabase(options), true));
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
