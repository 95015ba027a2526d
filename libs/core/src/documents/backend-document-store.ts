import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';
import { CollectionOperations } from './collection-operations';
import type { DocumentBackend } from './document-backend';
import { validateCollectionName } from './document-indexes';
import { DEFAULT_DOCUMENT_CACHE_LIMITS } from './document-cache';
import { DocumentStore, type DocumentCollection, type DocumentTransaction, type ExclusiveWriter, type ExclusiveWriterOptions } from './document-store';
import type { AnyDocument, BaseDocument } from './document-types';
import { UnitOfWork } from './unit-of-work';
import { UnitOfWorkCollection } from './unit-of-work-collection';
import { validateCheckpoint } from './unit-of-work-transaction';
import { UnitOfWorkTransaction } from './unit-of-work-transaction';
import { WriterSession } from './writer-session';

/**
 * A `DocumentStore` over a synchronous `DocumentBackend`. All MongoDB semantics live here,
 * once, so the in-memory and SQLite stores cannot drift apart; a unit of work buffers its
 * writes and hands them to the backend as one atomic batch when the callback resolves.
 */
export class BackendDocumentStore extends DocumentStore {
  private closed = false;
  /** The sessions of open exclusive writers, told about every change this store makes past them. */
  private readonly sessions = new Set<WriterSession>();

  constructor(
    private readonly backend: DocumentBackend,
    private readonly description: string,
  ) {
    super();
  }

  override collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> {
    const collection = validateCollectionName(name);
    return new UnitOfWorkCollection<T>((operation) => {
      this.assertOpen();
      const unit = new UnitOfWork(this.backend);
      const result = operation(new CollectionOperations(unit, collection));
      this.commit(unit, null);
      return result;
    });
  }

  override async transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> {
    return this.unitOfWork(work, null);
  }

  /**
   * Remembers the writer's collections' documents between its units of work (`DocumentCache`:
   * for a collection empty now, also every `_id` it gets, so looking up one never written reads
   * nothing), and declares their non-unique indexes late (`WriterSession`).
   */
  override async exclusiveWriter(collections: readonly string[], options: ExclusiveWriterOptions = {}): Promise<ExclusiveWriter> {
    this.assertOpen();
    const names = collections.map((name) => validateCollectionName(name));
    const indexes = Object.fromEntries(Object.entries(options.indexes ?? {}).map(([name, declared]) => [validateCollectionName(name), declared]));
    const session = new WriterSession(this.backend, names, indexes, options.maxCachedCharacters ?? DEFAULT_DOCUMENT_CACHE_LIMITS.maxCharacters);
    this.sessions.add(session);
    return {
      transaction: (work) => this.unitOfWork(work, this.sessions.has(session) ? session : null),
      declareIndexes: async () => {
        this.assertOpen();
        session.declareAll();
      },
      close: () => {
        this.sessions.delete(session);
        session.close();
      },
    };
  }

  override async getCheckpoint(name: string): Promise<Position | null> {
    this.assertOpen();
    return this.backend.getCheckpoint(validateCheckpoint(name)) ?? null;
  }

  override async deleteCheckpoint(name: string): Promise<boolean> {
    const checkpoint = validateCheckpoint(name);
    this.assertOpen();
    return this.backend.atomically(() => this.backend.deleteCheckpoint(checkpoint));
  }

  override async listCollections(): Promise<string[]> {
    this.assertOpen();
    return [...this.backend.collections()].sort();
  }

  override async dropCollection(name: string): Promise<boolean> {
    const collection = validateCollectionName(name);
    this.assertOpen();
    const dropped = this.backend.atomically(() => this.backend.drop(collection));
    for (const session of this.sessions) session.forget(collection);
    return dropped;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.backend.close();
  }

  private async unitOfWork<R>(work: (tx: DocumentTransaction) => Promise<R>, session: WriterSession | null): Promise<R> {
    this.assertOpen();
    const unit = new UnitOfWork(this.backend, session);
    const tx = new UnitOfWorkTransaction(unit, () => this.assertOpen());
    try {
      const result = await work(tx);
      this.assertOpen();
      this.commit(unit, session);
      return result;
    } finally {
      tx.end();
    }
  }

  /** Commits a unit, and has every other writer's session forget the collections it changed. */
  private commit(unit: UnitOfWork, session: WriterSession | null): void {
    unit.commit();
    if (this.sessions.size === 0 || (session !== null && this.sessions.size === 1 && this.sessions.has(session))) return;
    const changed = unit.changedCollections();
    for (const other of this.sessions) if (other !== session) for (const collection of changed) other.forget(collection);
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', `The ${this.description} document store is closed; the app is shutting down.`);
  }
}
