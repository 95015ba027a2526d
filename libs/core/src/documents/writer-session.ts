import { declareIndex } from './declare-index';
import type { DocumentBackend } from './document-backend';
import { DocumentCache } from './document-cache';
import { indexSpecFrom } from './document-indexes';
import type { IndexDescription, IndexKeys, IndexOptions } from './document-types';

/** An index to declare on one of an exclusive writer's collections. */
export interface WriterIndex {
  readonly keys: IndexKeys;
  readonly options?: IndexOptions;
}

const NONE: readonly IndexDescription[] = [];

/**
 * What the units of work of one exclusive writer share: the cache of its collections'
 * documents, and the indexes it declares late. A collection's non-unique indexes are
 * declared only when `declareAll` is called (after a bulk load: building an index over
 * loaded rows at once is much cheaper than keeping it up to date row by row), or as soon as a
 * unit needs them: a query other than by `_id`, or listing or creating indexes. Until then,
 * every document written is still checked against them, so declaring them cannot fail on a
 * document the writer wrote. Unique indexes are declared at once: they decide which writes succeed.
 */
export class WriterSession {
  readonly cache: DocumentCache;
  /** Validated, in declaration order, per collection, until declared. */
  private readonly deferred = new Map<string, { readonly indexes: IndexDescription[]; readonly declarations: WriterIndex[] }>();
  /** Collections whose every document was written (and checked) through this session. */
  private readonly wasEmpty: Map<string, boolean>;
  private readonly closeBackend: () => void;

  constructor(
    private readonly backend: DocumentBackend,
    collections: readonly string[],
    indexes: Readonly<Record<string, readonly WriterIndex[]>>,
    maxCharacters: number,
  ) {
    const wasEmpty = new Map(collections.map((collection) => [collection, isEmpty(backend, collection)]));
    this.wasEmpty = wasEmpty;
    this.cache = new DocumentCache(new Map([...wasEmpty].map(([collection, empty]) => [collection, { empty }])), { maxCharacters });
    for (const [collection, declarations] of Object.entries(indexes)) {
      for (const declaration of declarations) {
        const index = indexSpecFrom(collection, declaration.keys, declaration.options);
        if (index.unique || !wasEmpty.has(collection)) {
          declareIndex(backend, collection, declaration.keys, declaration.options);
          continue;
        }
        let pending = this.deferred.get(collection);
        if (!pending) {
          pending = { indexes: [], declarations: [] };
          this.deferred.set(collection, pending);
        }
        pending.indexes.push(index);
        pending.declarations.push(declaration);
      }
    }
    // Last, so a session that failed to start leaves the backend as it was.
    this.closeBackend = backend.exclusiveWriterOpened?.() ?? (() => undefined);
  }

  /** The indexes of `collection` not declared yet, which its documents must fit all the same. */
  deferredIndexes(collection: string): readonly IndexDescription[] {
    return this.deferred.get(collection)?.indexes ?? NONE;
  }

  /** Declares the collection's deferred indexes now. */
  declare(collection: string): void {
    const pending = this.deferred.get(collection);
    if (!pending) return;
    this.deferred.delete(collection);
    // Every document of a collection that started empty was written through this session,
    // and checked against these indexes then, so only a collection that did not needs a scan.
    const checked = this.wasEmpty.get(collection) === true;
    for (const declaration of pending.declarations) declareIndex(this.backend, collection, declaration.keys, declaration.options, { checked });
  }

  /** Declares every deferred index. */
  declareAll(): void {
    for (const collection of [...this.deferred.keys()]) this.declare(collection);
  }

  /** A collection changed behind the session (dropped, renamed, written by another unit): nothing it knew holds. */
  forget(collection: string): void {
    this.cache.forget(collection);
    this.wasEmpty.set(collection, false);
  }

  /** Ends the session: its cache is let go, and what is still deferred stays undeclared. */
  close(): void {
    this.cache.clear();
    this.deferred.clear();
    this.closeBackend();
  }
}

/** Whether a collection holds no documents, found by reading at most one. */
function isEmpty(backend: DocumentBackend, collection: string): boolean {
  const found = new Error('found');
  try {
    backend.scan(collection, {}, () => {
      throw found;
    });
    return true;
  } catch (error) {
    if (error === found) return false;
    throw error;
  }
}
