import { RemoteDocumentStore } from '@strata/core/adapter';
import { migrate, PostgresDatabase, type PostgresOptions } from '../postgres-database';
import { unavailableError } from '../postgres-errors';
import { DOCUMENT_STORE_MIGRATIONS } from './document-schema';
import { PostgresDocumentBackend } from './postgres-document-backend';

/**
 * Read models on PostgreSQL: JSON documents in jsonb with MongoDB semantics from core (mingo),
 * declared indexes as expression indexes, and a unit of work committed as one transaction,
 * checkpoints included. Leases, parked events, saga state, the outbox and the schedule are
 * collections like any other, so they commit with the work they belong to.
 */
export class PostgresDocumentStore extends RemoteDocumentStore {
  private constructor(backend: PostgresDocumentBackend) {
    super(backend, 'PostgreSQL');
  }

  /** Connects, creates or migrates the schema, and returns the store. */
  static async open(options: PostgresOptions = {}): Promise<PostgresDocumentStore> {
    return PostgresDocumentStore.onDatabase(PostgresDatabase.open(options));
  }

  /** Uses a pool another component opened; the store releases its share on close. */
  static async onDatabase(db: PostgresDatabase): Promise<PostgresDocumentStore> {
    try {
      await migrate(db, 'documents', DOCUMENT_STORE_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw unavailableError(error, 'READ_STORE_UNAVAILABLE', 'prepare the read-model tables');
    }
    return new PostgresDocumentStore(new PostgresDocumentBackend(db));
  }
}
