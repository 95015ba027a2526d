/** What a cache answers for one `_id`: the committed JSON, null for known absent, undefined for unknown. */
export type CachedDocument = string | null | undefined;

/** How much a `DocumentCache` keeps. */
export interface DocumentCacheLimits {
  /**
   * Budget for remembered documents, in characters of JSON plus `ENTRY_OVERHEAD` per entry,
   * shared evenly by the collections; the least recently used are forgotten past it.
   */
  readonly maxCharacters: number;
}

export const DEFAULT_DOCUMENT_CACHE_LIMITS: DocumentCacheLimits = { maxCharacters: 16 * 1024 * 1024 };

/** What one remembered entry costs beyond its JSON, in the budget's characters (map entry, string header). */
const ENTRY_OVERHEAD = 64;

/**
 * Committed documents of collections that one writer alone changes, kept between its units
 * of work: the recently used documents, within a budget, and for a collection that was empty
 * when the cache began, a filter of every `_id` written since, so a lookup of an `_id` never
 * written (an insert's duplicate check, a first event for a key) needs no read either. It only
 * saves reads: the unit of work still commits each write only if the stored document is what
 * the cache said (else `WRITE_CONFLICT` or `DUPLICATE_KEY`).
 */
export class DocumentCache {
  private readonly collections = new Map<string, CollectionCache>();

  constructor(
    collections: ReadonlyMap<string, { readonly empty: boolean }>,
    limits: DocumentCacheLimits = DEFAULT_DOCUMENT_CACHE_LIMITS,
  ) {
    const share = Math.floor(limits.maxCharacters / Math.max(1, collections.size));
    for (const [name, { empty }] of collections) this.collections.set(name, new CollectionCache(share, empty));
  }

  /** Whether this cache covers `collection`. */
  covers(collection: string): boolean {
    return this.collections.has(collection);
  }

  /** The committed JSON of a document, null when it is known to be absent, undefined when unknown. */
  lookup(collection: string, id: string): CachedDocument {
    return this.collections.get(collection)?.lookup(id);
  }

  /** Records what a read from storage found: the document's JSON, or null for nothing. */
  fetched(collection: string, id: string, json: string | null): void {
    this.collections.get(collection)?.keep(id, json);
  }

  /**
   * Records a committed write: the new JSON, or null for a deletion. A document that did not
   * exist before (`inserted`) is only noted as written, not kept: most are written once and not
   * read again (a ledger's entries), and one that is read comes back with a single read.
   */
  committed(collection: string, id: string, json: string | null, inserted: boolean): void {
    this.collections.get(collection)?.committed(id, json, inserted);
  }

  /** Forgets a collection that changed behind the cache (dropped, renamed, written by another unit); it is no longer cached. */
  forget(collection: string): void {
    this.collections.delete(collection);
  }

  /** Forgets everything. */
  clear(): void {
    this.collections.clear();
  }
}

/**
 * One collection's documents in two generations: lookups and writes go to `recent`; when it
 * fills half the budget it becomes `older` and the previous `older` is dropped whole. A
 * document used again is copied back into `recent`, so what is in use survives and the rest
 * ages out, as with least-recently-used eviction but without bookkeeping per lookup.
 */
class CollectionCache {
  private recent = new Map<string, string | null>();
  private older = new Map<string, string | null>();
  private recentSize = 0;
  /** Every `_id` written since the collection was empty; null when it was not empty at the start. */
  private readonly written: IdFilter | null;

  constructor(
    private readonly budget: number,
    empty: boolean,
  ) {
    this.written = empty ? new IdFilter() : null;
  }

  lookup(id: string): CachedDocument {
    const json = this.recent.get(id);
    if (json !== undefined) return json;
    const aged = this.older.get(id);
    if (aged !== undefined) {
      this.keep(id, aged);
      return aged;
    }
    if (this.written !== null && !this.written.mayHave(id)) return null;
    return undefined;
  }

  committed(id: string, json: string | null, inserted: boolean): void {
    if (json !== null) this.written?.add(id);
    if (!inserted) this.keep(id, json);
    else if (this.recent.has(id) || this.older.has(id)) {
      // It was known absent; a stale copy in `older` stays hidden behind the one in `recent`.
      this.keep(id, json);
    }
  }

  /** Keeps the document's current JSON (null: absent) as the most recently used. */
  keep(id: string, json: string | null): void {
    const previous = this.recent.get(id);
    if (previous !== undefined) this.recentSize -= cost(previous);
    this.recent.set(id, json);
    this.recentSize += cost(json);
    if (this.recentSize * 2 <= this.budget) return;
    this.older = this.recent;
    this.recent = new Map();
    this.recentSize = 0;
  }
}

function cost(json: string | null): number {
  return ENTRY_OVERHEAD + (json?.length ?? 0);
}

/** Bits per `_id` in each stage of the filter: about 1 false positive in 1,000 per stage. */
const BITS_PER_ID = 16;
/** `_id`s the first stage holds (512 KiB of bits); each next one holds four times as many, so few stages are probed. */
const FIRST_STAGE_IDS = 1 << 18;
const STAGE_GROWTH = 4;
/** Words of a block; an `_id` sets one bit in each word of one block (one cache line per lookup). */
const BLOCK_WORDS = 8;
/** Odd multipliers that pick each word's bit from the second hash (those of Parquet's split block filter). */
const SALTS = [0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31];

interface FilterStage {
  readonly words: Int32Array;
  /** Block count minus one (block counts are powers of two). */
  readonly mask: number;
  readonly capacity: number;
  count: number;
}

/**
 * A split-block Bloom filter of strings that grows: when a stage holds its capacity, a larger
 * one takes the new strings. `mayHave` is false only for a string never added; it is
 * true for about one absent string in a thousand per stage, which then costs one read.
 */
export class IdFilter {
  private readonly stages: FilterStage[] = [];

  add(id: string): void {
    let stage = this.stages[this.stages.length - 1];
    if (!stage || stage.count >= stage.capacity) {
      const capacity = stage ? stage.capacity * STAGE_GROWTH : FIRST_STAGE_IDS;
      const blocks = (capacity * BITS_PER_ID) / (32 * BLOCK_WORDS);
      stage = { words: new Int32Array(blocks * BLOCK_WORDS), mask: blocks - 1, capacity, count: 0 };
      this.stages.push(stage);
    }
    hash(id);
    const base = (blockHash & stage.mask) * BLOCK_WORDS;
    for (let word = 0; word < BLOCK_WORDS; word++) {
      stage.words[base + word] = (stage.words[base + word] as number) | (1 << (Math.imul(bitHash, SALTS[word] as number) >>> 27));
    }
    stage.count += 1;
  }

  mayHave(id: string): boolean {
    if (this.stages.length === 0) return false;
    hash(id);
    for (const stage of this.stages) if (contains(stage)) return true;
    return false;
  }
}

function contains(stage: FilterStage): boolean {
  const base = (blockHash & stage.mask) * BLOCK_WORDS;
  for (let word = 0; word < BLOCK_WORDS; word++) {
    if (((stage.words[base + word] as number) & (1 << (Math.imul(bitHash, SALTS[word] as number) >>> 27))) === 0) return false;
  }
  return true;
}

/** The two hashes of the string `hash` saw last: module state, so hashing allocates nothing. */
let blockHash = 0;
let bitHash = 0;

/** Two independent 32-bit hashes of a string: FNV-1a with different primes, each then mixed. */
function hash(text: string): void {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ text.length;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  blockHash = mix(a);
  bitHash = mix(b);
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
function mix(value: number): number {
  let h = value ^ (value >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
