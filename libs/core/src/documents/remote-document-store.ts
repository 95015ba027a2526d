import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';
import { CollectionOperations } from './collection-operations';
import { WriteConflictError } from './document-errors';
import { validateCollectionName } from './document-indexes';
import { DEFAULT_DOCUMENT_CACHE_LIMITS, DocumentCache } from './document-cache';
import { DocumentStore, type DocumentCollection, type DocumentTransaction, type ExclusiveWriter, type ExclusiveWriterOptions } from './document-store';
import type { AnyDocument, BaseDocument } from './document-types';
import { FetchingBackend } from './fetching-backend';
import { StaleCollectionError, type DocumentBatch, type RemoteDocumentBackend } from './remote-document-backend';
import { UnitOfWork } from './unit-of-work';
import { UnitOfWorkCollection } from './unit-of-work-collection';
import { UnitOfWorkTransaction, validateCheckpoint } from './unit-of-work-transaction';

/** Runs of one single-operation write that lost races to other writers, at most. */
const MAX_OPERATION_ATTEMPTS = 50;
/** Commits retried after the collections changed under them (created or dropped by another writer). */
const MAX_STALE_RETRIES = 5;

/**
 * A `DocumentStore` over an asynchronous `RemoteDocumentBackend` (a database server), with the
 * same semantics as `BackendDocumentStore` because it runs the same unit of work: each unit sees
 * the server through a `FetchingBackend`, which fetches what an operation reads, and the
 * buffered writes go to the server as one batch in one transaction, checkpoints included.
 */
export class RemoteDocumentStore extends DocumentStore {
  private closed = false;
  /** The caches of open exclusive writers. */
  private readonly caches = new Set<DocumentCache>();

  constructor(
    private readonly remote: RemoteDocumentBackend,
    private readonly description: string,
  ) {
    super();
  }

  override collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> {
    const collection = validateCollectionName(name);
    return new UnitOfWorkCollection<T>(async (operation) => {
      // One operation applies as a whole, as a server applies it: one that lost a race to a
      // concurrent writer runs again on what that writer committed.
      for (let attempt = 1; ; attempt++) {
        this.assertOpen();
        const view = new FetchingBackend(this.remote);
        const unit = new UnitOfWork(view);
        const operations = new CollectionOperations(unit, collection);
        try {
          const result = await view.run(() => operation(operations));
          await this.commit(view, unit);
          return result;
        } catch (error) {
          if (!(error instanceof WriteConflictError) || attempt >= MAX_OPERATION_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
        }
      }
    });
  }

  override async transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> {
    return this.unitOfWork(work, null);
  }

  /**
   * Remembers the writer's collections' documents between its units of work (`DocumentCache`:
   * for a collection missing at the start, also every `_id` it gets), so a replay's lookups
   * mostly skip the server. Indexes are declared at once.
   */
  override async exclusiveWriter(collections: readonly string[], options: ExclusiveWriterOptions = {}): Promise<ExclusiveWriter> {
    this.assertOpen();
    const names = collections.map((name) => validateCollectionName(name));
    const missing = await Promise.all(names.map(async (name) => !(await this.remote.fetchCollection(name)).exists));
    const writer = await super.exclusiveWriter(names, options);
    const cache = new DocumentCache(new Map(names.map((name, at) => [name, { empty: missing[at] ?? false }])), {
      maxCharacters: options.maxCachedCharacters ?? DEFAULT_DOCUMENT_CACHE_LIMITS.maxCharacters,
    });
    this.caches.add(cache);
    return {
      transaction: (work) => this.unitOfWork(work, this.caches.has(cache) ? cache : null),
      declareIndexes: () => writer.declareIndexes(),
      close: () => {
        this.caches.delete(cache);
        cache.clear();
      },
    };
  }

  private async unitOfWork<R>(work: (tx: DocumentTransaction) => Promise<R>, cache: DocumentCache | null): Promise<R> {
    this.assertOpen();
    const view = new FetchingBackend(this.remote, cache);
    const unit = new UnitOfWork(view);
    const tx = new UnitOfWorkTransaction(unit, () => this.assertOpen(), (step) => view.run(step));
    try {
      const result = await work(tx);
      this.assertOpen();
      await this.commit(view, unit, cache);
      return result;
    } finally {
      tx.end();
    }
  }

  override async getCheckpoint(name: string): Promise<Position | null> {
    this.assertOpen();
    return (await this.remote.fetchCheckpoint(validateCheckpoint(name))) ?? null;
  }

  override async deleteCheckpoint(name: string): Promise<boolean> {
    const checkpoint = validateCheckpoint(name);
    this.assertOpen();
    return this.remote.deleteCheckpoint(checkpoint);
  }

  override async listCollections(): Promise<string[]> {
    this.assertOpen();
    return (await this.remote.collections()).sort();
  }

  override async dropCollection(name: string): Promise<boolean> {
    const collection = validateCollectionName(name);
    this.assertOpen();
    for (const cache of this.caches) cache.forget(collection);
    return this.remote.drop(collection);
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.remote.close();
  }

  /** Records the unit's commit as a batch and has the server apply it; a stale view of a collection is refreshed and the commit recorded again. */
  private async commit(view: FetchingBackend, unit: UnitOfWork, cache: DocumentCache | null = null): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const batch = await view.record(() => unit.commit());
      if (batch === null) return;
      try {
        await this.remote.commit(batch);
        this.committed(batch, cache);
        return;
      } catch (error) {
        if (!(error instanceof StaleCollectionError) || attempt >= MAX_STALE_RETRIES) {
          // The store is not what the cache believed: trust none of it any more.
          cache?.clear();
          throw error;
        }
        view.forgetCollection(error.collection);
      }
    }
  }

  /** Tells the writer's cache what it committed, and every other writer's cache to forget what changed past it. */
  private committed(batch: DocumentBatch, cache: DocumentCache | null): void {
    for (const other of this.caches) {
      if (other === cache) continue;
      for (const collection of batch.writes.keys()) other.forget(collection);
      for (const collection of batch.renames.flat()) other.forget(collection);
    }
    if (!cache) return;
    for (const [collection, writes] of batch.writes) {
      // A removal followed by an insert of the same `_id` is a rewrite (core orders them so under unique indexes).
      const removed = new Set(writes.removes.map(([id]) => id));
      const deleted = new Set(removed);
      for (const [id, , json] of writes.replaces) cache.committed(collection, id, json, false);
      for (const [id, json] of writes.inserts) {
        deleted.delete(id);
        cache.committed(collection, id, json, !removed.has(id));
      }
      for (const id of deleted) cache.committed(collection, id, null, false);
    }
    for (const collection of batch.renames.flat()) cache.forget(collection);
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', `The ${this.description} document store is closed; the app is shutting down.`);
  }
}
