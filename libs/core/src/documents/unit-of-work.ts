import type { Position } from '../event-store/position';
import type { DocumentBackend, DocumentVisitor } from './document-backend';
import { WriteConflictError } from './document-errors';
import { assertIndexable } from './document-indexes';
import type { Filter, IndexDescription } from './document-types';
import { parseJsonDocument } from './json-document';

interface PendingWrite {
  readonly id: string;
  /** The document's new JSON, or null when this unit deletes it. */
  readonly json: string | null;
  /** The committed JSON this unit based its first write on (null: absent); checked at commit. */
  readonly expected: string | null;
  /** The indexes the document was checked against when written; a commit re-checks it only if they changed. */
  readonly checkedAgainst: readonly IndexDescription[];
}

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
  /** Restores the buffer to before the current operation, so a failed operation leaves no trace. */
  private undo: (() => void)[] | null = null;

  constructor(readonly backend: DocumentBackend) {
    backend.beginUnit?.();
  }

  /** Runs one collection operation all-or-nothing within the unit. */
  operation<R>(work: () => R): R {
    const outer = this.undo;
    this.undo = [];
    try {
      return work();
    } catch (error) {
      this.undo.reverse().forEach((restore) => restore());
      throw error;
    } finally {
      this.undo = outer;
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
      json = this.backend.get(collection, id) ?? null;
      documents.set(id, json);
    }
    return json ?? undefined;
  }

  /** Visits every document this unit sees that may match `filter`: its own writes win. */
  scan(collection: string, filter: Filter, visit: DocumentVisitor): void {
    const pending = this.writes.get(collection);
    const id = filter['_id'];
    if (typeof id === 'string') {
      // A lookup by _id must not visit every pending write: a projection batch of n events
      // doing n lookups would otherwise parse n^2 documents. The one document is a superset.
      const json = this.get(collection, id);
      if (json !== undefined) visit(id, json);
      return;
    }
    this.backend.scan(collection, filter, (id, json) => {
      if (!pending?.has(id)) visit(id, json);
    });
    for (const write of pending?.values() ?? []) if (write.json !== null) visit(write.id, write.json);
  }

  /**
   * Buffers a write; `seen` is the JSON the caller read (null: absent), the base for conflict
   * checks, and `checkedAgainst` the indexes (as the backend listed them) it was checked against.
   */
  write(collection: string, id: string, json: string | null, seen: string | null, checkedAgainst: readonly IndexDescription[] = []): void {
    let pending = this.writes.get(collection);
    if (!pending) {
      pending = new Map();
      this.writes.set(collection, pending);
    }
    const previous = pending.get(id);
    pending.set(id, { id, json, expected: previous ? previous.expected : seen, checkedAgainst });
    const map = pending;
    this.undo?.push(() => (previous ? map.set(id, previous) : map.delete(id)));
  }

  getCheckpoint(name: string): Position | undefined {
    return this.checkpoints.get(name) ?? this.backend.getCheckpoint(name);
  }

  setCheckpoint(name: string, position: Position): void {
    this.checkpoints.set(name, position);
  }

  /** Buffers a rename; the caller keeps both names out of the rest of the unit. */
  rename(from: string, to: string): void {
    this.renames.push([from, to]);
  }

  /** Whether a rename in this unit involves `collection`, as its source or its target. */
  renamed(collection: string): boolean {
    return this.renames.some(([from, to]) => from === collection || to === collection);
  }

  /**
   * Applies every buffered write, then the renames, then the checkpoints, in one atomic
   * backend call. Rows are removed before any is inserted, so a unit that swaps unique values
   * between documents commits; writes come before renames, so a source's writes move with it.
   * A removal only happens while the row is still what the unit read, else the commit fails
   * with `WRITE_CONFLICT`; an insert over a row that appeared meanwhile fails with `DUPLICATE_KEY`.
   */
  commit(): void {
    if (this.writes.size === 0 && this.checkpoints.size === 0 && this.renames.length === 0) return;
    this.backend.atomically(() => {
      for (const [collection, pending] of this.writes) {
        // A document the unit changed and changed back (or inserted and deleted) needs no write.
        const effective = [...pending.values()].filter((write) => write.json !== write.expected);
        const indexes = this.backend.indexes(collection);
        // Re-checked when another unit or process declared an index since the write (backends
        // hand out a new list when the indexes change).
        for (const write of effective) {
          if (write.json !== null && indexes.length > 0 && write.checkedAgainst !== indexes) assertIndexable(parseJsonDocument(write.json), indexes, collection);
        }
        for (const write of effective) {
          if (write.expected !== null && !this.backend.remove(collection, write.id, write.expected)) throw new WriteConflictError(collection, write.id);
        }
        for (const write of effective) if (write.json !== null) this.backend.insert(collection, write.id, write.json);
      }
      for (const [from, to] of this.renames) this.backend.rename(from, to);
      for (const [name, position] of this.checkpoints) this.backend.setCheckpoint(name, position);
    });
  }
}
