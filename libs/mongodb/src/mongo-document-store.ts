import type { ClientSession, Db, MongoClient } from 'mongodb';
import { loadMongoDriver } from './mongo-driver';
import { DocumentStore, StrataError, type Position } from '@strata/core';
import { type AnyDocument, type BaseDocument, type DocumentCollection, validateCollectionName, type DocumentTransaction } from '@strata/core/adapter';
import { IndexCatalog } from './index-catalog';
import { CHECKPOINTS_COLLECTION, MongoCheckpoints } from './mongo-checkpoints';
import { MongoDocumentCollection } from './mongo-collection';
import { codeOf, MONGO_CODES, toStrataError } from './mongo-errors';
import { MongoTransaction } from './mongo-transaction';
import { assertTransactionsSupported } from './replica-set';
import { serverFeatures, type ServerFeatures } from './server-version';

/** Where a `MongoDocumentStore` connects. */
export interface MongoDocumentStoreOptions {
  readonly url: string;
  readonly database: string;
}

const TRANSACTION = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } } as const;

/**
 * Read models, checkpoints, leases, parked events and saga state on a MongoDB replica set
 * through the official driver. Each collection is a real collection; a unit of work is a
 * multi-document transaction, so a projection batch and its checkpoint commit together.
 */
export class MongoDocumentStore extends DocumentStore {
  private readonly catalog: IndexCatalog;
  private readonly checkpoints: MongoCheckpoints;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly server: ServerFeatures,
  ) {
    super();
    this.catalog = new IndexCatalog(db);
    this.checkpoints = new MongoCheckpoints(db);
  }

  /** Connects, and refuses a server Strata cannot run on (standalone, secondary, too old) before anything runs. */
  static async connect(options: MongoDocumentStoreOptions): Promise<MongoDocumentStore> {
    // undefined properties are left out, as JSON (and the embedded store) leaves them out.
    const { MongoClient } = await loadMongoDriver();
    return MongoDocumentStore.connectWith(new MongoClient(options.url, { ignoreUndefined: true }), options.database);
  }

  /** Like `connect`, on a client made elsewhere (its options are the caller's); the store closes it. */
  static async connectWith(client: MongoClient, database: string): Promise<MongoDocumentStore> {
    // The caller's client came from the driver; the error checks need it loaded here too.
    await loadMongoDriver();
    let server: ServerFeatures;
    try {
      await client.connect();
      const admin = client.db('admin');
      assertTransactionsSupported(await admin.command({ hello: 1 }));
      server = serverFeatures(await admin.command({ buildInfo: 1 }));
    } catch (error) {
      await client.close();
      if (StrataError.isStrataError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StrataError('READ_STORE_UNAVAILABLE', `MongoDB at MONGODB_URL could not be reached: ${reason}. Check the URL and that the replica set is up.`, { cause: error });
    }
    return new MongoDocumentStore(client, client.db(database), server);
  }

  override collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> {
    return new MongoDocumentCollection<T>(validateCollectionName(name), {
      db: this.db,
      catalog: this.catalog,
      server: this.server,
      session: undefined,
      assertUsable: () => this.assertOpen(),
      atomically: (work) => this.inTransaction(work),
    });
  }

  /**
   * Runs `work` in one transaction, through the driver's `withTransaction`: a commit whose
   * answer was lost (`UnknownTransactionCommitResult`) is retried, never reported as a failure
   * of a unit that did commit; a commit that aborted (`TransientTransactionError`) runs the unit
   * again on a fresh handle. A server error inside the unit aborts the transaction on the server;
   * the unit then fails with that error, even when the callback caught it, and names it meanwhile
   * (`abortedBy`), so a projection parks the event whose handler met it.
   *
   * MongoDB cannot rename a collection inside a transaction, so a unit that renames commits its
   * writes, then renames (each atomic on the server), then writes its checkpoints. A crash in
   * between leaves the checkpoint behind the swap, never ahead of it, so the worst case is events
   * applied twice, which projections tolerate.
   */
  override async transaction<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> {
    this.assertOpen();
    const session = this.client.startSession();
    let tx: MongoTransaction | undefined;
    try {
      const result = await session.withTransaction(async () => {
        tx?.end();
        tx = new MongoTransaction({ db: this.db, catalog: this.catalog, server: this.server, assertOpen: () => this.assertOpen() }, session, this.checkpoints);
        const value = await work(tx);
        tx.assertNotAborted();
        this.assertOpen();
        if (tx.renames.length === 0) await this.checkpoints.set(tx.checkpoints, session);
        return value;
      }, TRANSACTION);
      const done = tx as MongoTransaction;
      if (done.renames.length > 0) {
        for (const [from, to] of done.renames) await this.rename(from, to);
        await this.inTransaction((again) => this.checkpoints.set(done.checkpoints, again));
      }
      return result;
    } catch (error) {
      throw toStrataError(error, { collection: '(unit of work)' });
    } finally {
      tx?.end();
      await session.endSession();
    }
  }

  override async getCheckpoint(name: string): Promise<Position | null> {
    this.assertOpen();
    return this.checkpoints.get(name);
  }

  override async deleteCheckpoint(name: string): Promise<boolean> {
    this.assertOpen();
    return this.checkpoints.delete(name);
  }

  override async listCollections(): Promise<string[]> {
    this.assertOpen();
    const names = (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name);
    const kept: string[] = [];
    for (const name of names) {
      if (name === CHECKPOINTS_COLLECTION || name.startsWith('system.')) continue;
      if (await this.holdsAnything(name)) kept.push(name);
    }
    return kept.sort();
  }

  override async dropCollection(name: string): Promise<boolean> {
    const collection = validateCollectionName(name);
    this.assertOpen();
    const held = await this.holdsAnything(collection);
    await this.db.dropCollection(collection).catch((error: unknown) => {
      if (codeOf(error) !== MONGO_CODES.namespaceNotFound) throw toStrataError(error, { collection });
    });
    this.catalog.forget(collection);
    return held;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /** Runs `work` in a transaction of its own, retried by the driver as the transactions spec allows. */
  private async inTransaction<R>(work: (session: ClientSession) => Promise<R>): Promise<R> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(work, TRANSACTION);
    } finally {
      await session.endSession();
    }
  }

  /** Renames `from` over `to`, indexes included; a missing `from` leaves `to` empty, as the port says. */
  private async rename(from: string, to: string): Promise<void> {
    try {
      await this.db.renameCollection(from, to, { dropTarget: true });
    } catch (error) {
      if (codeOf(error) !== MONGO_CODES.namespaceNotFound) throw error;
      await this.db.dropCollection(to).catch((dropError: unknown) => {
        if (codeOf(dropError) !== MONGO_CODES.namespaceNotFound) throw dropError;
      });
    } finally {
      this.catalog.forget(from, to);
    }
  }

  /** Whether a collection holds documents or secondary indexes (an emptied collection counts as gone). */
  private async holdsAnything(name: string): Promise<boolean> {
    const collection = this.db.collection(name);
    if ((await collection.countDocuments({}, { limit: 1 })) > 0) return true;
    this.catalog.forget(name);
    return (await this.catalog.get(name)).length > 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', 'The MongoDB document store is closed; the app is shutting down.');
  }
}
