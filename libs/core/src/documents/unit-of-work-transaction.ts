import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';
import { CollectionOperations } from './collection-operations';
import { invalid } from './document-errors';
import { validateCollectionName } from './document-indexes';
import type { DocumentCollection, DocumentTransaction } from './document-store';
import type { AnyDocument, BaseDocument } from './document-types';
import { describe } from './json-document';
import type { UnitOfWork } from './unit-of-work';
import { UnitOfWorkCollection } from './unit-of-work-collection';

/** The handle `BackendDocumentStore.transaction` passes to its callback. */
export class UnitOfWorkTransaction implements DocumentTransaction {
  private ended = false;
  /** One handle per name: a projection asks for its collections on every event. */
  private readonly handles = new Map<string, DocumentCollection>();

  /**
   * `runSync` runs each step that reads the backend; a store over a remote backend passes one
   * that fetches what the step needs and runs it again (`RemoteDocumentStore`).
   */
  constructor(
    private readonly unit: UnitOfWork,
    private readonly assertStoreOpen: () => void,
    private readonly runSync: <R>(step: () => R) => R | Promise<R> = (step) => step(),
  ) {}

  collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> {
    let handle = this.handles.get(name);
    if (!handle) {
      const collection = validateCollectionName(name);
      const operations = new CollectionOperations(this.unit, collection);
      handle = new UnitOfWorkCollection<AnyDocument>((operation) =>
        this.runSync(() => {
          this.assertUsable();
          this.assertNotRenamed(collection);
          return operation(operations);
        }),
      );
      this.handles.set(name, handle);
    }
    return handle;
  }

  async renameCollection(from: string, to: string): Promise<void> {
    this.assertUsable();
    const source = validateCollectionName(from);
    const target = validateCollectionName(to);
    if (source === target) throw invalid('INVALID_NAME', `Cannot rename collection '${source}' to itself; name another target.`);
    this.assertNotRenamed(source);
    this.assertNotRenamed(target);
    this.unit.rename(source, target);
  }

  async getCheckpoint(name: string): Promise<Position | null> {
    this.assertUsable();
    const checkpoint = validateCheckpoint(name);
    return (await this.runSync(() => this.unit.getCheckpoint(checkpoint))) ?? null;
  }

  async setCheckpoint(name: string, position: Position): Promise<void> {
    this.assertUsable();
    if (typeof position !== 'string' || position.length === 0) {
      throw invalid('INVALID_NAME', `A checkpoint position must be a non-empty string, got ${describe(position)}.`);
    }
    this.unit.setCheckpoint(validateCheckpoint(name), position);
  }

  /** Called when the unit of work commits or fails; later use is a bug in the caller. */
  end(): void {
    this.ended = true;
  }

  /** A renamed collection's buffered reads would describe the wrong documents, so it is off limits. */
  private assertNotRenamed(collection: string): void {
    if (this.unit.renamed(collection)) {
      throw new StrataError(
        'COLLECTION_RENAMED',
        `Collection '${collection}' is renamed by this unit of work when it commits, so the unit cannot use it any more. Use it in a new unit of work.`,
      );
    }
  }

  private assertUsable(): void {
    this.assertStoreOpen();
    if (this.ended) {
      throw new StrataError(
        'TRANSACTION_CLOSED',
        'This unit of work has already ended; a write after it would be lost. Await every operation inside the callback.',
      );
    }
  }
}

/** Checkpoint names are non-empty strings of at most 200 characters. */
export function validateCheckpoint(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw invalid('INVALID_NAME', `A checkpoint name must be a string of 1 to 200 characters, got ${describe(name)}.`);
  }
  return name;
}
