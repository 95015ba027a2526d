import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';
import { CollectionOperations } from './collection-operations';
import type { DocumentBackend } from './document-backend';
import { validateCollectionName } from './document-indexes';
import { DocumentStore, type DocumentCollection, type DocumentTransaction } from './document-store';
import type { AnyDocument, BaseDocument } from './document-types';
import { UnitOfWork } from './unit-of-work';
import { UnitOfWorkCollection } from './unit-of-work-collection';
import { validateCheckpoint } from './unit-of-work-transaction';
import { UnitOfWorkTransaction } from './unit-of-work-transaction';

/**
 * A `DocumentStore` over a synchronous `DocumentBackend`. All MongoDB semantics live here,
 * once, so the in-memory and SQLite stores cannot drift apart; a unit of work buffers its
 * writes and hands them to the backend as one atomic batch when the callback resolves.
 */
export class BackendDocumentStore extends DocumentStore {
  private closed = false;

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
      unit.commit();
      return result;
    });
  }

  override async transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> {
    this.assertOpen();
    const unit = new UnitOfWork(this.backend);
    const tx = new UnitOfWorkTransaction(unit, () => this.assertOpen());
    try {
      const result = await work(tx);
      this.assertOpen();
      unit.commit();
      return result;
    } finally {
      tx.end();
    }
  }

  override async getCheckpoint(name: string): Promise<Position | null> {
    this.assertOpen();
    return this.backend.getCheckpoint(validateCheckpoint(name)) ?? null;
  }

  override async listCollections(): Promise<string[]> {
    this.assertOpen();
    return [...this.backend.collections()].sort();
  }

  override async dropCollection(name: string): Promise<boolean> {
    const collection = validateCollectionName(name);
    this.assertOpen();
    return this.backend.atomically(() => this.backend.drop(collection));
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.backend.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', `The ${this.description} document store is closed; the app is shutting down.`);
  }
}
