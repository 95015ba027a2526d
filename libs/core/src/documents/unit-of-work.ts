import { randomUUID } from 'node:crypto';
import type { Position } from '../event-store/position';
import type { DocumentBackend, DocumentVisitor } from './document-backend';
import type { DocumentCache } from './document-cache';
import type { WriterSession } from './writer-session';
import { WriteConflictError } from './document-errors';
import { assertIndexable } from './document-indexes';
import type { Filter, IndexDescription } from './document-types';
import { parseJsonDocument, type JsonObject } from './json-document';

interface PendingWrite {
  readonly id: string;
  /** The document's new JSON, or null when this unit deletes it. */
  readonly json: string | null;
  /** The committed JSON this unit based its first write on (null: absent); checked at commit. */
  readonly expected: string | null;
  /** The indexes the document was checked against when written; a commit re-checks it only if they changed. */
  readonly checkedAgainst: readonly IndexDescription[];
  /** The document itself when all its fields are scalars (`isFlat`), so reading it back is a copy, not a parse. */
  readonly flat: JsonObject | null;
}

const NO_INDEXES: readonly IndexDescription[] = [];

/**
 * Buffers a unit of work's writes in memory over a backend's committed state, and applies
 * them in one atomic backend call. Buffering is what lets an async callback span a
 * synchronous SQLite transaction: nothing touches the database until `commit`.
 */
export class UnitOfWork {
  private readonly writes = new Map<string, Map<string, PendingWrite>>();
  /**
   * Committed documents this unit looked up by `_id` (null: absent), so the lookup a handler
   * makes and the write after it read the store once. Writes based on them are still checked
   * against the store at commit, so a stale read fails the commit rather than overwriting.
   */
  private readonly committed = new Map<string, Map<string, string | null>>();
  private readonly checkpoints = new Map<string, Position>();
  /** Renames in the order asked for, applied after the document writes. */
  private readonly renames: (readonly [from: string, to: string])[] = [];
  /**
   * What the operations in progress changed, to restore should one fail: flat triples of a
   * collection's pending writes, an `_id`, and its previous write (null: none), so recording a
   * write allocates nothing.
   */
  private readonly undo: (Map<string, PendingWrite> | string | PendingWrite | null)[] = [];
  private depth = 0;

  private readonly cache: DocumentCache | null;

  /**
   * A unit of an exclusive writer shares its `session`: the unit reads through the session's
   * cache, tells it what it committed, and declares deferred indexes before relying on them.
   */
  constructor(
    readonly backend: DocumentBackend,
    private readonly session: WriterSession | null = null,
  ) {
    this.cache = session?.cache ?? null;
    backend.beginUnit?.();
  }

  /** An `_id` for a new document; the backend's own when it replays operations (the same ids each time). */
  newId(): string {
    return this.backend.newId?.() ?? randomUUID();
  }

  /** Indexes of `collection` its writer declares later, which written documents must fit all the same. */
  deferredIndexes(collection: string): readonly IndexDescription[] {
    return this.session?.deferredIndexes(collection) ?? NO_INDEXES;
  }

  /** Declares the collection's deferred indexes now, before the unit queries or lists them. */
  declareDeferred(collection: string): void {
    this.session?.declare(collection);
  }

  /** Runs one collection operation all-or-nothing within the unit. */
  operation<R>(work: () => R): R {
    const mark = this.undo.length;
    this.depth += 1;
    try {
      return work();
    } catch (error) {
      while (this.undo.length > mark) {
        const previous = this.undo.pop() as PendingWrite | null;
        const id = this.undo.pop() as string;
        const pending = this.undo.pop() as Map<string, PendingWrite>;
        if (previous === null) pending.delete(id);
        else pending.set(id, previous);
      }
      throw error;
    } finally {
      this.depth -= 1;
      if (this.depth === 0) this.undo.length = 0;
    }
  }

  /** The document as this unit sees it. */
  get(collection: string, id: string): string | undefined {
    const pending = this.writes.get(collection)?.get(id);
    if (pending) return pending.json ?? undefined;
    let documents = this.committed.get(collection);
    if (!documents) {
      documents = new Map();
      this.committed.set(collection, documents);
    }
    let json = documents.get(id);
    if (json === undefined) {
      json = this.cache?.lookup(collection, id);
      if (json === undefined) {
        json = this.backend.get(collection, id) ?? null;
        this.cache?.fetched(collection, id, json);
      }
      documents.set(id, json);
    }
    return json ?? undefined;
  }

  /** The document as this unit sees it, as a fresh object the caller may change. */
  getDocument(collection: string, id: string): JsonObject | undefined {
    const flat = this.writes.get(collection)?.get(id)?.flat;
    if (flat) return { ...flat };
    const json = this.get(collection, id);
    return json === undefined ? undefined : parseJsonDocument(json);
  }

  /**
   * Visits every document this unit sees that may match `filter`: its own writes win. A query
   * has the collection's deferred indexes declared first; a unique check (`query: false`)
   * narrows by its own index, which is never deferred.
   */
  scan(collection: string, filter: Filter, visit: DocumentVisitor, { query = true } = {}): void {
    const pending = this.writes.get(collection);
    const id = filter['_id'];
    if (typeof id === 'string') {
      // A lookup by _id must not visit every pending write: a projection batch of n events
      // doing n lookups would otherwise parse n^2 documents. The one document is a superset.
      const json = this.get(collection, id);
      if (json !== undefined) visit(id, json);
      return;
    }
    // Any other query may need an index to stay fast.
    if (query) this.session?.declare(collection);
    this.backend.scan(collection, filter, (id, json) => {
      if (!pending?.has(id)) visit(id, json);
    });
    for (const write of pending?.values() ?? []) if (write.json !== null) visit(write.id, write.json);
  }

  /**
   * Buffers a write; `seen` is the JSON the caller read (null: absent), the base for conflict
   * checks, and `checkedAgainst` the indexes (as the backend listed them) it was checked against.
   * `flat` is the document `json` serialises when all its fields are scalars, handed over: the
   * unit keeps it and never changes it.
   */
  write(collection: string, id: string, json: string | null, seen: string | null, checkedAgainst: readonly IndexDescription[] = [], flat: JsonObject | null = null): void {
    let pending = this.writes.get(collection);
    if (!pending) {
      pending = new Map();
      this.writes.set(collection, pending);
    }
    const previous = pending.get(id);
    pending.set(id, { id, json, expected: previous ? previous.expected : seen, checkedAgainst, flat });
    if (this.depth > 0) this.undo.push(pending, id, previous ?? null);
  }

  getCheckpoint(name: string): Position | undefined {
    return this.checkpoints.get(name) ?? this.backend.getCheckpoint(name);
  }

  setCheckpoint(name: string, position: Position): void {
    this.checkpoints.set(name, position);
  }

  /** Buffers a rename; the caller keeps both names out of the rest of the unit. */
  rename(from: string, to: string): void {
    // Indexes move with a renamed collection, so the deferred ones are declared first.
    this.session?.declare(from);
    this.renames.push([from, to]);
  }

  /** Whether a rename in this unit involves `collection`, as its source or its target. */
  renamed(collection: string): boolean {
    // Asked before every operation; most units rename nothing.
    return this.renames.length > 0 && this.renames.some(([from, to]) => from === collection || to === collection);
  }

  /**
   * Applies every buffered write, then the renames, then the checkpoints, in one atomic
   * backend call. Rows are removed before any is inserted, so a unit that swaps unique values
   * between documents commits; writes come before renames, so a source's writes move with it.
   * A removal or rewrite only happens while the row is still what the unit read, else the commit
   * fails with `WRITE_CONFLICT`; an insert over a row that appeared meanwhile fails with `DUPLICATE_KEY`.
   */
  commit(): void {
    if (this.writes.size === 0 && this.checkpoints.size === 0 && this.renames.length === 0) return;
    try {
      this.backend.atomically(() => {
        for (const [collection, pending] of this.writes) this.commitWrites(collection, pending);
        for (const [from, to] of this.renames) this.backend.rename(from, to);
        for (const [name, position] of this.checkpoints) this.backend.setCheckpoint(name, position);
      });
    } catch (error) {
      // A conflict says the store is not what the cache believed: trust none of it any more.
      this.cache?.clear();
      throw error;
    }
    if (this.session) this.committedTo(this.session);
  }

  /** The collections this unit wrote or renamed, once it committed: what another writer's cache must forget. */
  changedCollections(): string[] {
    return [...this.writes.keys(), ...this.renames.flat()];
  }

  private committedTo(session: WriterSession): void {
    for (const [collection, pending] of this.writes) {
      for (const write of pending.values()) {
        if (write.json !== write.expected) session.cache.committed(collection, write.id, write.json, write.expected === null);
      }
    }
    for (const [from, to] of this.renames) {
      session.forget(from);
      session.forget(to);
    }
  }

  private commitWrites(collection: string, pending: ReadonlyMap<string, PendingWrite>): void {
    const backend = this.backend;
    // A document the unit changed and changed back (or inserted and deleted) needs no write.
    const effective = [...pending.values()].filter((write) => write.json !== write.expected);
    const indexes = backend.indexes(collection);
    // Re-checked when another unit or process declared an index since the write (backends
    // hand out a new list when the indexes change).
    for (const write of effective) {
      if (write.json !== null && indexes.length > 0 && write.checkedAgainst !== indexes) assertIndexable(parseJsonDocument(write.json), indexes, collection);
    }
    // Without unique indexes a changed document cannot clash with another row whatever the
    // order, so it is rewritten in place; otherwise every removal precedes every insert.
    const replace = indexes.some((index) => index.unique) ? undefined : backend.replace?.bind(backend);
    const inserts: (readonly [string, string])[] = [];
    for (const write of effective) {
      if (write.expected !== null) {
        if (write.json !== null && replace) {
          if (!replace(collection, write.id, write.expected, write.json)) throw new WriteConflictError(collection, write.id);
          continue;
        }
        if (!backend.remove(collection, write.id, write.expected)) throw new WriteConflictError(collection, write.id);
      }
      if (write.json !== null) inserts.push([write.id, write.json]);
    }
    if (inserts.length === 0) return;
    if (backend.insertMany) backend.insertMany(collection, inserts);
    else for (const [id, json] of inserts) backend.insert(collection, id, json);
  }
}
