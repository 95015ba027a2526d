import type { Position } from '../event-store/position';
import type { DocumentBackend, DocumentVisitor } from './document-backend';
import { DuplicateKeyError, ID_INDEX, WriteConflictError } from './document-errors';
import { assertIndexable } from './document-indexes';
import type { Filter } from './document-types';
import type { JsonObject } from './json-document';

interface PendingWrite {
  readonly id: string;
  /** The document's new JSON, or null when this unit deletes it. */
  readonly json: string | null;
  readonly document: JsonObject | null;
  /** The committed JSON this unit based its first write on (null: absent); checked at commit. */
  readonly expected: string | null;
}

/**
 * Buffers a unit of work's writes in memory over a backend's committed state, and applies
 * them in one atomic backend call. Buffering is what lets an async callback span a
 * synchronous SQLite transaction: nothing touches the database until `commit`.
 */
export class UnitOfWork {
  private readonly writes = new Map<string, Map<string, PendingWrite>>();
  private readonly checkpoints = new Map<string, Position>();
  /** Restores the buffer to before the current operation, so a failed operation leaves no trace. */
  private undo: (() => void)[] | null = null;

  constructor(readonly backend: DocumentBackend) {}

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
    return pending ? (pending.json ?? undefined) : this.backend.get(collection, id);
  }

  /** Visits every document this unit sees that may match `filter`: its own writes win. */
  scan(collection: string, filter: Filter, visit: DocumentVisitor): void {
    const pending = this.writes.get(collection);
    const id = filter['_id'];
    if (typeof id === 'string') {
      // A lookup by _id must not visit every pending write: a projection batch of n events
      // doing n lookups would otherwise parse n^2 documents.
      const write = pending?.get(id);
      if (!write) this.backend.scan(collection, filter, visit);
      else if (write.json !== null) visit(id, write.json);
      return;
    }
    this.backend.scan(collection, filter, (id, json) => {
      if (!pending?.has(id)) visit(id, json);
    });
    for (const write of pending?.values() ?? []) if (write.json !== null) visit(write.id, write.json);
  }

  /** Buffers a write; `seen` is the JSON the caller read (null: absent), the base for conflict checks. */
  write(collection: string, id: string, document: JsonObject | null, json: string | null, seen: string | null): void {
    let pending = this.writes.get(collection);
    if (!pending) {
      pending = new Map();
      this.writes.set(collection, pending);
    }
    const previous = pending.get(id);
    pending.set(id, { id, json, document, expected: previous ? previous.expected : seen });
    const map = pending;
    this.undo?.push(() => (previous ? map.set(id, previous) : map.delete(id)));
  }

  getCheckpoint(name: string): Position | undefined {
    return this.checkpoints.get(name) ?? this.backend.getCheckpoint(name);
  }

  setCheckpoint(name: string, position: Position): void {
    this.checkpoints.set(name, position);
  }

  /**
   * Applies every buffered write and checkpoint in one atomic backend call. Rows are removed
   * before any is inserted, so a unit that swaps unique values between documents commits.
   */
  commit(): void {
    if (this.writes.size === 0 && this.checkpoints.size === 0) return;
    this.backend.atomically(() => {
      for (const [collection, pending] of this.writes) {
        // A document the unit changed and changed back (or inserted and deleted) needs no write.
        const effective = [...pending.values()].filter((write) => write.json !== write.expected);
        const indexes = this.backend.indexes(collection);
        for (const write of effective) {
          const current = this.backend.get(collection, write.id) ?? null;
          if (current !== write.expected) {
            throw write.expected === null
              ? new DuplicateKeyError(collection, ID_INDEX, { _id: write.id })
              : new WriteConflictError(collection, write.id);
          }
          // Re-checked here because another process may have declared an index since the write.
          if (write.document) assertIndexable(write.document, indexes, collection);
        }
        for (const write of effective) if (write.expected !== null) this.backend.remove(collection, write.id);
        for (const write of effective) if (write.json !== null) this.backend.insert(collection, write.id, write.json);
      }
      for (const [name, position] of this.checkpoints) this.backend.setCheckpoint(name, position);
    });
  }
}
