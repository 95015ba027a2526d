import { randomUUID } from 'node:crypto';
import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';
import type { DocumentBackend, DocumentVisitor } from './document-backend';
import type { DocumentCache } from './document-cache';
import type { Filter, IndexDescription } from './document-types';
import type { CollectionInfo, CollectionWrites, DocumentBatch, RemoteDocumentBackend } from './remote-document-backend';

/** What a synchronous step needs from the server before it can run. */
export type Fetch =
  | { readonly kind: 'document'; readonly collection: string; readonly id: string }
  | { readonly kind: 'collection'; readonly collection: string }
  | { readonly kind: 'candidates'; readonly collection: string; readonly filter: Filter; readonly key: string }
  | { readonly kind: 'checkpoint'; readonly name: string }
  | { readonly kind: 'index'; readonly collection: string; readonly index: IndexDescription };

/** Thrown by `FetchingBackend` when a step reads what it has not fetched; the step is undone and run again. */
export class FetchNeeded extends Error {
  constructor(readonly fetch: Fetch) {
    super(`A unit of work needs ${fetch.kind} data from the server first.`);
  }
}

/** More rounds than any step can need (each round fetches something new): a loop means a bug. */
const MAX_ROUNDS = 100_000;

/**
 * One unit of work's view of a remote backend, as the synchronous `DocumentBackend` core's unit
 * of work expects. A read of something not fetched yet throws `FetchNeeded`; `run` catches it,
 * fetches, and runs the step again (an operation rolls its buffered writes back when it throws,
 * so repeating it is safe). Commits are recorded as a `DocumentBatch` for the backend to apply.
 */
export class FetchingBackend implements DocumentBackend {
  private readonly documents = new Map<string, Map<string, string | null>>();
  private readonly infos = new Map<string, CollectionInfo>();
  /** Collections a document fetch found missing: every lookup in them reads nothing, without asking again. */
  private readonly missing = new Set<string>();
  private readonly candidates = new Map<string, (readonly [string, string])[]>();
  private readonly checkpoints = new Map<string, Position | null>();
  /** Ids handed out; each run of a step replays the ids its earlier runs drew. */
  private readonly ids: string[] = [];
  private nextId = 0;
  private batch: { writes: Map<string, CollectionWrites>; renames: [string, string][]; checkpoints: [string, Position][] } | null = null;

  /** `cache`: an exclusive writer's documents, remembered between its units; lookups it answers skip the server. */
  constructor(
    private readonly remote: RemoteDocumentBackend,
    private readonly cache: DocumentCache | null = null,
  ) {}

  /** Runs a synchronous step, fetching whatever it asks for until it completes. */
  async run<R>(step: () => R): Promise<R> {
    const firstId = this.ids.length;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.nextId = firstId;
      try {
        const result = step();
        this.ids.length = this.nextId;
        return result;
      } catch (error) {
        if (!(error instanceof FetchNeeded)) throw error;
        await this.serve(error.fetch);
      }
    }
    throw new StrataError('FETCH_LOOP', `A document operation kept asking for data after ${MAX_ROUNDS} fetches; this is a bug in Strata.`);
  }

  /** Runs `commit` (a unit's commit, which calls `atomically`) and returns the batch it recorded, or null when it wrote nothing. */
  async record(commit: () => void): Promise<DocumentBatch | null> {
    return this.run(() => {
      this.batch = null;
      commit();
      return this.batch;
    });
  }

  newId(): string {
    if (this.nextId === this.ids.length) this.ids.push(randomUUID());
    return this.ids[this.nextId++] as string;
  }

  /** Forgets what the unit learned of a collection, after a commit found it changed. */
  forgetCollection(collection: string): void {
    this.infos.delete(collection);
    this.missing.delete(collection);
  }

  get(collection: string, id: string): string | undefined {
    const cached = this.cache?.lookup(collection, id);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.documents.get(collection)?.get(id);
    if (found === undefined && this.missing.has(collection)) return undefined;
    if (found === undefined) throw new FetchNeeded({ kind: 'document', collection, id });
    return found ?? undefined;
  }

  scan(collection: string, filter: Filter, visit: DocumentVisitor): void {
    if (!this.info(collection).exists) return;
    const key = `${collection}\u0000${JSON.stringify(filter)}`;
    const rows = this.candidates.get(key);
    if (!rows) throw new FetchNeeded({ kind: 'candidates', collection, filter, key });
    for (const [id, json] of rows) visit(id, json);
  }

  indexes(collection: string): readonly IndexDescription[] {
    return this.info(collection).indexes;
  }

  getCheckpoint(name: string): Position | undefined {
    const found = this.checkpoints.get(name);
    if (found === undefined) throw new FetchNeeded({ kind: 'checkpoint', name });
    return found ?? undefined;
  }

  atomically<R>(work: () => R): R {
    this.batch = { writes: new Map(), renames: [], checkpoints: [] };
    return work();
  }

  insert(collection: string, id: string, json: string): void {
    this.writesOf(collection).inserts.push([id, json]);
  }

  insertMany(collection: string, documents: readonly (readonly [id: string, json: string])[]): void {
    this.writesOf(collection).inserts.push(...documents);
  }

  /** Recorded as applied; the backend's commit checks `expected` and fails the whole batch otherwise. */
  remove(collection: string, id: string, expected: string): boolean {
    this.writesOf(collection).removes.push([id, expected]);
    return true;
  }

  replace(collection: string, id: string, expected: string, json: string): boolean {
    this.writesOf(collection).replaces.push([id, expected, json]);
    return true;
  }

  setCheckpoint(name: string, position: Position): void {
    this.recording().checkpoints.push([name, position]);
  }

  /** Index declarations go to the server at once, outside the unit; the step then runs again and finds the index. */
  addIndex(collection: string, index: IndexDescription): void {
    throw new FetchNeeded({ kind: 'index', collection, index });
  }

  deleteCheckpoint(): boolean {
    throw new StrataError('UNSUPPORTED', 'RemoteDocumentStore deletes checkpoints through its backend, not a unit of work.');
  }

  collections(): readonly string[] {
    throw new StrataError('UNSUPPORTED', 'RemoteDocumentStore lists collections through its backend, not a unit of work.');
  }

  drop(): boolean {
    throw new StrataError('UNSUPPORTED', 'RemoteDocumentStore drops collections through its backend, not a unit of work.');
  }

  rename(from: string, to: string): void {
    this.recording().renames.push([from, to]);
  }

  close(): void {}

  private info(collection: string): CollectionInfo {
    const info = this.infos.get(collection);
    if (!info) throw new FetchNeeded({ kind: 'collection', collection });
    return info;
  }

  private writesOf(collection: string): CollectionWrites {
    const batch = this.recording();
    let writes = batch.writes.get(collection);
    if (!writes) {
      writes = { info: this.info(collection), removes: [], replaces: [], inserts: [] };
      batch.writes.set(collection, writes);
    }
    return writes;
  }

  private recording(): NonNullable<FetchingBackend['batch']> {
    if (!this.batch) throw new StrataError('NO_BATCH', 'Remote document writes must run inside atomically().');
    return this.batch;
  }

  private async serve(fetch: Fetch): Promise<void> {
    switch (fetch.kind) {
      case 'document': {
        const json = await this.remote.fetchDocument(fetch.collection, fetch.id);
        this.cache?.fetched(fetch.collection, fetch.id, json ?? null);
        if (json === null) {
          this.missing.add(fetch.collection);
          return;
        }
        let documents = this.documents.get(fetch.collection);
        if (!documents) {
          documents = new Map();
          this.documents.set(fetch.collection, documents);
        }
        documents.set(fetch.id, json ?? null);
        return;
      }
      case 'collection':
        this.infos.set(fetch.collection, await this.remote.fetchCollection(fetch.collection));
        return;
      case 'candidates':
        this.candidates.set(fetch.key, await this.remote.fetchCandidates(fetch.collection, fetch.filter, this.info(fetch.collection).indexes));
        return;
      case 'checkpoint':
        this.checkpoints.set(fetch.name, (await this.remote.fetchCheckpoint(fetch.name)) ?? null);
        return;
      case 'index':
        await this.remote.declareIndex(fetch.collection, fetch.index);
        this.infos.delete(fetch.collection);
        // Candidates fetched before were narrowed by the old index list; keyed by filter, they stay valid.
        return;
    }
  }
}
