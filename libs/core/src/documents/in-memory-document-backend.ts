import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';
import type { DocumentBackend, DocumentVisitor } from './document-backend';
import { DuplicateKeyError, ID_INDEX } from './document-errors';
import { canonicalKey, indexKeyOf, keyObject } from './document-indexes';
import type { Filter, IndexDescription } from './document-types';
import { parseJsonDocument } from './json-document';

const NO_INDEXES: readonly IndexDescription[] = [];

interface CollectionState {
  readonly documents: Map<string, string>;
  /** Replaced, never changed in place, so a unit of work can tell that indexes changed since it checked. */
  indexes: readonly IndexDescription[];
  /** Per unique index: canonical key -> `_id`, enforcing uniqueness as SQLite's UNIQUE index does. */
  readonly uniqueKeys: Map<string, Map<string, string>>;
}

/** Committed state in process memory; each atomic batch keeps an undo log to roll back a failure. */
export class InMemoryDocumentBackend implements DocumentBackend {
  private readonly stored = new Map<string, CollectionState>();
  private readonly checkpoints = new Map<string, Position>();
  private undo: (() => void)[] | null = null;

  scan(collection: string, filter: Filter, visit: DocumentVisitor): void {
    const documents = this.stored.get(collection)?.documents;
    if (!documents) return;
    const id = filter['_id'];
    if (typeof id === 'string') {
      const json = documents.get(id);
      if (json !== undefined) visit(id, json);
      return;
    }
    for (const [documentId, json] of [...documents]) visit(documentId, json);
  }

  get(collection: string, id: string): string | undefined {
    return this.stored.get(collection)?.documents.get(id);
  }

  indexes(collection: string): readonly IndexDescription[] {
    return this.stored.get(collection)?.indexes ?? NO_INDEXES;
  }

  getCheckpoint(name: string): Position | undefined {
    return this.checkpoints.get(name);
  }

  atomically<R>(work: () => R): R {
    if (this.undo) throw new StrataError('NESTED_BATCH', 'An in-memory document batch is already being applied.');
    const undo: (() => void)[] = [];
    this.undo = undo;
    try {
      return work();
    } catch (error) {
      undo.reverse().forEach((restore) => restore());
      throw error;
    } finally {
      this.undo = null;
    }
  }

  insert(collection: string, id: string, json: string): void {
    this.insertUnrecorded(collection, id, json);
    this.record(() => this.removeUnrecorded(collection, id));
  }

  remove(collection: string, id: string, expected: string): boolean {
    const json = this.get(collection, id);
    if (json !== expected) return false;
    this.removeUnrecorded(collection, id);
    this.record(() => this.insertUnrecorded(collection, id, json));
    return true;
  }

  replace(collection: string, id: string, expected: string, json: string): boolean {
    if (!this.remove(collection, id, expected)) return false;
    this.insert(collection, id, json);
    return true;
  }

  setCheckpoint(name: string, position: Position): void {
    const previous = this.checkpoints.get(name);
    this.checkpoints.set(name, position);
    this.record(() => (previous === undefined ? this.checkpoints.delete(name) : this.checkpoints.set(name, previous)));
  }

  deleteCheckpoint(name: string): boolean {
    const previous = this.checkpoints.get(name);
    if (previous === undefined) return false;
    this.checkpoints.delete(name);
    this.record(() => this.checkpoints.set(name, previous));
    return true;
  }

  addIndex(collection: string, index: IndexDescription): void {
    const state = this.state(collection);
    if (index.unique) {
      const keys = new Map<string, string>();
      for (const [id, json] of state.documents) keys.set(canonicalKey(indexKeyOf(parseJsonDocument(json), index, collection)), id);
      state.uniqueKeys.set(index.name, keys);
    }
    state.indexes = [...state.indexes, index];
  }

  collections(): readonly string[] {
    return [...this.stored].filter(([, state]) => state.documents.size > 0 || state.indexes.length > 0).map(([name]) => name);
  }

  drop(collection: string): boolean {
    const state = this.stored.get(collection);
    if (!state) return false;
    this.stored.delete(collection);
    this.record(() => this.stored.set(collection, state));
    return state.documents.size > 0 || state.indexes.length > 0;
  }

  rename(from: string, to: string): void {
    const source = this.stored.get(from);
    const target = this.stored.get(to);
    // Index state names indexes, never its collection, so the whole state moves as it is.
    this.stored.delete(from);
    if (source) this.stored.set(to, source);
    else this.stored.delete(to);
    this.record(() => {
      if (target) this.stored.set(to, target);
      else this.stored.delete(to);
      if (source) this.stored.set(from, source);
    });
  }

  close(): void {}

  private insertUnrecorded(collection: string, id: string, json: string): void {
    const state = this.state(collection);
    if (state.documents.has(id)) throw new DuplicateKeyError(collection, ID_INDEX, { _id: id });
    const keys = this.uniqueKeysOf(collection, state, json);
    for (const [index, key, values] of keys) {
      if (state.uniqueKeys.get(index.name)?.has(key)) throw new DuplicateKeyError(collection, index.name, keyObject(index, values));
    }
    state.documents.set(id, json);
    for (const [index, key] of keys) state.uniqueKeys.get(index.name)?.set(key, id);
  }

  private removeUnrecorded(collection: string, id: string): void {
    const state = this.state(collection);
    const json = state.documents.get(id);
    if (json === undefined) return;
    for (const [index, key] of this.uniqueKeysOf(collection, state, json)) state.uniqueKeys.get(index.name)?.delete(key);
    state.documents.delete(id);
  }

  private uniqueKeysOf(collection: string, state: CollectionState, json: string): [IndexDescription, string, ReturnType<typeof indexKeyOf>][] {
    const unique = state.indexes.filter((index) => index.unique);
    if (unique.length === 0) return [];
    const document = parseJsonDocument(json);
    return unique.map((index) => {
      const values = indexKeyOf(document, index, collection);
      return [index, canonicalKey(values), values];
    });
  }

  private record(restore: () => void): void {
    // Writes happen only inside `atomically`; the undo log is how a failed batch leaves no trace.
    if (!this.undo) throw new StrataError('NO_BATCH', 'In-memory document writes must run inside atomically().');
    this.undo.push(restore);
  }

  private state(collection: string): CollectionState {
    let state = this.stored.get(collection);
    if (!state) {
      state = { documents: new Map(), indexes: [], uniqueKeys: new Map() };
      this.stored.set(collection, state);
    }
    return state;
  }
}
