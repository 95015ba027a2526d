import type { ClientSession } from 'mongodb';
import { StrataError, type Position } from '@strata/core';
import { type AnyDocument, type BaseDocument, type DocumentCollection, documentError, validateCheckpoint, validateCollectionName, describeValue, type DocumentTransaction } from '@strata/core/adapter';
import type { MongoCheckpoints } from './mongo-checkpoints';
import { MongoDocumentCollection } from './mongo-collection';
import type { MongoScope } from './mongo-scope';
import { isDriverError } from './mongo-driver';

/**
 * The handle of one unit of work: a MongoDB transaction on one session. Checkpoints are kept
 * until the end so they are written last, after any renames (see `MongoDocumentStore.transaction`).
 */
export class MongoTransaction implements DocumentTransaction {
  readonly checkpoints = new Map<string, Position>();
  readonly renames: (readonly [from: string, to: string])[] = [];
  private readonly handles = new Map<string, DocumentCollection>();
  private ended = false;
  /** The server error that aborted this unit's transaction, translated; every later use raises it again. */
  private abortError: Error | undefined = undefined;
  /** Whether that error is transient (a write conflict): running the unit again may well succeed. */
  private abortTransient = false;

  constructor(
    private readonly base: Omit<MongoScope, 'session' | 'assertUsable' | 'atomically' | 'aborted'> & { assertOpen(): void },
    private readonly session: ClientSession,
    private readonly stored: MongoCheckpoints,
  ) {}

  collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> {
    let handle = this.handles.get(name);
    if (!handle) {
      const scope: MongoScope = {
        db: this.base.db,
        catalog: this.base.catalog,
        server: this.base.server,
        session: this.session,
        assertUsable: (collection) => this.assertUsable(collection),
        // Already inside the unit's transaction, which makes every write all-or-nothing.
        atomically: (work) => work(this.session),
        aborted: (error, translated) => this.abort(error, translated),
      };
      handle = new MongoDocumentCollection<AnyDocument>(validateCollectionName(name), scope);
      this.handles.set(name, handle);
    }
    return handle;
  }

  async getCheckpoint(name: string): Promise<Position | null> {
    this.assertUsable();
    return this.checkpoints.get(validateCheckpoint(name)) ?? (await this.stored.get(name, this.session));
  }

  async setCheckpoint(name: string, position: Position): Promise<void> {
    this.assertUsable();
    if (typeof position !== 'string' || position.length === 0) {
      throw documentError('INVALID_NAME', `A checkpoint position must be a non-empty string, got ${describeValue(position)}.`);
    }
    this.checkpoints.set(validateCheckpoint(name), position);
  }

  async renameCollection(from: string, to: string): Promise<void> {
    this.assertUsable();
    const source = validateCollectionName(from);
    const target = validateCollectionName(to);
    if (source === target) throw documentError('INVALID_NAME', `Cannot rename collection '${source}' to itself; name another target.`);
    this.assertNotRenamed(source);
    this.assertNotRenamed(target);
    this.renames.push([source, target]);
  }

  /**
   * Raises the server error that aborted the transaction, if one did. A callback that caught it
   * and carried on would otherwise fail at the commit with a bare "transaction aborted", which
   * says nothing of the cause and is retried as if the store were down.
   */
  assertNotAborted(): void {
    if (this.abortError !== undefined) throw this.abortError;
  }

  /** The refusal that aborted the transaction, unless it was transient (a write conflict is the runner's to handle, not a handler's fault). */
  abortedBy(): Error | undefined {
    return this.abortTransient ? undefined : this.abortError;
  }

  /** Called when the unit commits or fails; later use is a bug in the caller. */
  end(): void {
    this.ended = true;
  }

  private abort(error: unknown, translated: unknown): void {
    // Only a server's answer aborts the transaction; the adapter's own checks happen before any request.
    if (this.abortError !== undefined || !isDriverError(error, 'MongoServerError')) return;
    this.abortError = translated instanceof Error ? translated : error;
    this.abortTransient = error.hasErrorLabel('TransientTransactionError');
  }

  private assertUsable(collection?: string): void {
    this.base.assertOpen();
    this.assertNotAborted();
    if (this.ended) {
      throw new StrataError('TRANSACTION_CLOSED', 'This unit of work has already ended; a write after it would be lost. Await every operation inside the callback.');
    }
    if (collection !== undefined) this.assertNotRenamed(collection);
  }

  private assertNotRenamed(collection: string): void {
    if (this.renames.some(([from, to]) => from === collection || to === collection)) {
      throw new StrataError(
        'COLLECTION_RENAMED',
        `Collection '${collection}' is renamed by this unit of work when it commits, so the unit cannot use it any more. Use it in a new unit of work.`,
      );
    }
  }
}
