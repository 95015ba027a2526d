import { InMemoryDocumentStore, type Filter } from '@strata/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDocumentStore } from './sqlite-document-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-indexes-'));
let n = 0;
const open = () => SqliteDocumentStore.open({ filename: join(dir, `indexes-${n++}.db`), synchronous: 'NORMAL' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteDocumentStore indexes', () => {
  let store: SqliteDocumentStore;
  beforeEach(async () => {
    store = open();
    await store.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) {
        await tx.collection('accounts').insertOne({ _id: `a${i}`, owner: `o${i % 6}`, status: i % 2 ? 'open' : 'closed', balance: i });
      }
    });
  });
  afterEach(() => store.close());

  it('finds by an indexed field through its expression index, and scans without one', async () => {
    const byOwner = { owner: 'o1', status: 'open' };
    expect(store.explain('accounts', byOwner)).toEqual([expect.stringMatching(/^SCAN strata_doc\/accounts$/)]);
    await store.collection('accounts').createIndex({ owner: 1, status: 1 });
    expect(store.explain('accounts', byOwner)).toEqual([
      expect.stringMatching(/^SEARCH strata_doc\/accounts USING INDEX strata_idx\/accounts\/owner_1_status_1 \(<expr>=\? AND <expr>=\?\)$/),
    ]);
    expect(store.explain('accounts', { owner: { $in: ['o1', 'o2'] } }).join('\n')).toContain('USING INDEX strata_idx/accounts/owner_1_status_1');
    expect(store.explain('accounts', { $and: [{ owner: 'o1' }, { balance: { $gt: 3 } }] }).join('\n')).toContain(
      'USING INDEX strata_idx/accounts/owner_1_status_1',
    );
    const found = await store.collection('accounts').find(byOwner);
    expect(found.map((account) => account._id)).toEqual(['a1', 'a13', 'a19', 'a25', 'a31', 'a37', 'a43', 'a49', 'a55', 'a7']);
  });

  it('uses the primary key for _id and a unique index for numeric ranges', async () => {
    expect(store.explain('accounts', { _id: 'a5', owner: 'o5' })).toEqual([expect.stringContaining('USING PRIMARY KEY (id=?)')]);
    await store.collection('accounts').createIndex({ balance: -1 }, { unique: true });
    expect(store.explain('accounts', { balance: { $gte: 10, $lt: 13 } })).toEqual([
      expect.stringContaining('USING INDEX strata_idx/accounts/balance_-1 (<expr>>? AND <expr><?)'),
    ]);
    const found = await store.collection('accounts').find({ balance: { $gte: 10, $lt: 13 } }, { sort: { balance: -1 } });
    expect(found.map((account) => account['balance'])).toEqual([12, 11, 10]);
  });

  it('leaves what it cannot translate to a scan that mingo filters', async () => {
    await store.collection('accounts').createIndex({ owner: 1 });
    for (const filter of [{ owner: /o1/ }, { owner: { $ne: 'o1' } }, { owner: { $gt: 'o4' } }, { $or: [{ owner: 'o1' }, { owner: 'o2' }] }]) {
      expect(store.explain('accounts', filter)).toEqual([expect.stringMatching(/^SCAN /)]);
    }
    expect(await store.collection('accounts').countDocuments({ owner: { $gt: 'o4' } })).toBe(10);
  });
});

/** A small deterministic generator (mulberry32), so a failure reproduces exactly. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values where SQL and MongoDB comparisons could part: types that SQLite coerces, -0,
// 1e21 (stored as a real), empty strings, and characters whose UTF-8 and UTF-16 orders differ.
const VALUES: readonly unknown[] = ['a', 'b', 'B', '', '1', 'é', '\u{1F600}', '\uE000', 0, -0, 1, -1, 1.5, 2, 1e21, true, false, null];
const MISSING = Symbol('missing');

describe('SQL pre-filtering never changes results', () => {
  it('gives the same answers as the in-memory store for 400 generated filters', async () => {
    const next = random(20240917);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const scalar = () => pick([...VALUES, MISSING]);
    const documents = Array.from({ length: 150 }, (_, i) => {
      const document: Record<string, unknown> = { _id: `d${String(i).padStart(3, '0')}` };
      for (const field of ['v', 'w']) {
        const value = scalar();
        if (value !== MISSING) document[field] = value;
      }
      const k = scalar();
      const shape = next();
      if (shape < 0.7) document['n'] = k === MISSING ? {} : { k };
      else if (shape < 0.8) document['n'] = pick(VALUES);
      return document;
    });

    const sqlite = open();
    const memory = new InMemoryDocumentStore();
    for (const target of [sqlite, memory]) {
      await target.transaction(async (tx) => {
        for (const document of documents) await tx.collection('mixed').insertOne(document);
      });
      await target.collection('mixed').createIndex({ v: 1 });
      await target.collection('mixed').createIndex({ 'n.k': 1, w: -1 });
    }

    const condition = (): unknown => {
      const roll = next();
      if (roll < 0.3) return pick(VALUES);
      if (roll < 0.4) return { $eq: pick(VALUES) };
      if (roll < 0.55) return { $in: [pick(VALUES), pick(VALUES), pick(VALUES)] };
      if (roll < 0.85) return { [pick(['$gt', '$gte', '$lt', '$lte'])]: pick(VALUES) };
      if (roll < 0.9) return { [pick(['$gt', '$lt'])]: pick(VALUES), $ne: pick(VALUES) };
      return { $exists: next() < 0.5 };
    };
    const filter = (): Filter => {
      const roll = next();
      const one = (): Filter => ({ [pick(['v', 'w', 'n.k', 'n'])]: condition() });
      if (roll < 0.6) return one();
      if (roll < 0.8) return { ...one(), ...one() };
      if (roll < 0.9) return { $and: [one(), one()] };
      return { _id: { $in: [pick(documents)['_id'], pick(documents)['_id']] }, ...one() };
    };

    const mismatches: string[] = [];
    let nonEmpty = 0;
    for (let i = 0; i < 400; i++) {
      const generated = filter();
      const [fromSqlite, fromMemory] = await Promise.all(
        [sqlite, memory].map(async (target) => (await target.collection('mixed').find(generated)).map((document) => document._id)),
      );
      if (fromMemory && fromMemory.length > 0) nonEmpty += 1;
      if (JSON.stringify(fromSqlite) !== JSON.stringify(fromMemory)) mismatches.push(JSON.stringify(generated));
    }
    expect(mismatches).toEqual([]);
    // The generator must exercise real matches, not only empty answers.
    expect(nonEmpty).toBeGreaterThan(150);
    // And the pre-filter must actually be in play for these filters.
    expect(sqlite.explain('mixed', { v: 1 }).join('\n')).toContain('USING INDEX strata_idx/mixed/v_1');
    await sqlite.close();
    await memory.close();
  });
});
