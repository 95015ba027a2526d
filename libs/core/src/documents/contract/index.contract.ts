import type { Filter } from '../document-types';
import { expectStrataError, ids, type ContractContext } from './contract-context';

/** Values of every JSON scalar type, plus missing fields, at an indexable path. */
const MIXED = [
  { _id: 'm01', v: 'a', n: { k: 1 } },
  { _id: 'm02', v: 'b', n: { k: 2 } },
  { _id: 'm03', v: '1', n: { k: 'x' } },
  { _id: 'm04', v: 1, n: { k: 1.5 } },
  { _id: 'm05', v: 1.5, n: { k: -2 } },
  { _id: 'm06', v: -3, n: { k: null } },
  { _id: 'm07', v: true, n: {} },
  { _id: 'm08', v: false, n: { k: true } },
  { _id: 'm09', v: null, n: { k: 0 } },
  { _id: 'm10', n: { k: '' } },
  { _id: 'm11', v: '', n: 5 },
  { _id: 'm12', v: 0 },
  { _id: 'm13', v: 'B', n: { k: 'B' } },
];

const FILTERS: Filter[] = [
  { v: 'a' },
  { v: 1 },
  { v: '1' },
  { v: true },
  { v: false },
  { v: 0 },
  { v: null },
  { v: '' },
  { v: { $eq: null } },
  { v: { $ne: null } },
  { v: { $exists: false } },
  { v: { $gt: 0 } },
  { v: { $gte: 0, $lt: 1.5 } },
  { v: { $lte: -3 } },
  { v: { $gt: 'a' } },
  { v: { $lt: 'b' } },
  { v: { $in: ['a', 1, null, true] } },
  { v: { $nin: ['a', 1] } },
  { v: { $type: 'string' } },
  { v: /^b/i },
  { 'n.k': 1 },
  { 'n.k': null },
  { 'n.k': { $gt: -5 } },
  { 'n.k': 'B', v: 'B' },
  { v: 1, 'n.k': 1.5 },
  { $and: [{ v: { $gte: -3 } }, { v: { $lte: 1 } }] },
  { $or: [{ v: 'a' }, { 'n.k': 2 }] },
  { _id: 'm04', v: 1 },
  { _id: { $in: ['m01', 'm09', 'zz'] }, v: { $ne: 'a' } },
];

/** Declared indexes: naming, idempotence, unique enforcement, and never changing query results. */
export function describeIndexContract({ store }: ContractContext): void {
  describe('indexes', () => {
    const users = () => store().collection('users');

    it('names indexes as MongoDB does, lists them, and treats an identical repeat as a no-op', async () => {
      expect(await users().createIndex({ owner: 1, 'address.city': -1 })).toBe('owner_1_address.city_-1');
      expect(await users().createIndex({ email: 1 }, { unique: true, name: 'by_email' })).toBe('by_email');
      expect(await users().createIndex({ email: 1 }, { unique: true, name: 'by_email' })).toBe('by_email');
      expect(await users().listIndexes()).toEqual([
        { name: 'owner_1_address.city_-1', keys: [['owner', 1], ['address.city', -1]], unique: false },
        { name: 'by_email', keys: [['email', 1]], unique: true },
      ]);
      expect(await store().collection('other').listIndexes()).toEqual([]);
    });

    it('refuses conflicting and malformed declarations', async () => {
      await users().createIndex({ email: 1 }, { name: 'by_email' });
      await expectStrataError(users().createIndex({ owner: 1 }, { name: 'by_email' }), 'INDEX_CONFLICT', 'by_email');
      await expectStrataError(users().createIndex({ email: 1 }, { name: 'by_email', unique: true }), 'INDEX_CONFLICT', 'by_email');
      await expectStrataError(users().createIndex({ email: 1 }, { name: 'another' }), 'INDEX_CONFLICT', 'by_email');
      await expectStrataError(users().createIndex({ email: 2 as never }), 'INVALID_INDEX', 'email');
      await expectStrataError(users().createIndex({}), 'INVALID_INDEX');
      await expectStrataError(users().createIndex({ 'tags.$': 1 }), 'INVALID_INDEX', 'tags.$');
      await expectStrataError(users().createIndex({ a: 1 }, { name: 'bad name' }), 'INVALID_INDEX', 'bad name');
    });

    it('enforces a unique index on insert, update, replace and upsert, naming the index', async () => {
      await users().createIndex({ email: 1 }, { unique: true });
      await users().insertOne({ _id: 'u1', email: 'ada@x' });
      await users().insertOne({ _id: 'u2', email: 'bob@x' });
      await expectStrataError(users().insertOne({ _id: 'u3', email: 'ada@x' }), 'DUPLICATE_KEY', 'users', 'email_1', 'ada@x');
      await expectStrataError(users().updateOne({ _id: 'u2' }, { $set: { email: 'ada@x' } }), 'DUPLICATE_KEY', 'email_1');
      await expectStrataError(users().replaceOne({ _id: 'u2' }, { email: 'ada@x' }), 'DUPLICATE_KEY', 'email_1');
      await expectStrataError(users().updateOne({ _id: 'u9' }, { $set: { email: 'bob@x' } }, { upsert: true }), 'DUPLICATE_KEY', 'email_1');
      expect(ids(await users().find({}))).toEqual(['u1', 'u2']);
      expect(await users().findOne({ _id: 'u2' })).toEqual({ _id: 'u2', email: 'bob@x' });
      // A document may keep its own key, and a freed key can be taken.
      expect(await users().updateOne({ _id: 'u1' }, { $set: { email: 'ada@x', name: 'Ada' } })).toMatchObject({ modifiedCount: 1 });
      await users().deleteOne({ _id: 'u1' });
      await users().insertOne({ _id: 'u3', email: 'ada@x' });
    });

    it('compares unique keys with MongoDB semantics: compound, typed, and missing as null', async () => {
      await users().createIndex({ org: 1, login: 1 }, { unique: true });
      await users().insertOne({ _id: 'a', org: 'acme', login: 'ada' });
      await users().insertOne({ _id: 'b', org: 'acme', login: 'bob' });
      await users().insertOne({ _id: 'c', org: 'initech', login: 'ada' });
      await users().insertOne({ _id: 'd', org: 'acme', login: 1 });
      await users().insertOne({ _id: 'e', org: 'acme', login: true });
      await users().insertOne({ _id: 'f', org: 'acme', login: '1' });
      await users().insertOne({ _id: 'g', org: 'acme' });
      await expectStrataError(users().insertOne({ _id: 'h', org: 'acme', login: null }), 'DUPLICATE_KEY', 'org_1_login_1');
      await expectStrataError(users().insertOne({ _id: 'i', org: 'acme', login: 1.0 }), 'DUPLICATE_KEY');
      await expectStrataError(users().insertOne({ _id: 'j', org: 'acme', login: 'ada' }), 'DUPLICATE_KEY', 'acme', 'ada');
      expect(await users().countDocuments()).toBe(7);
    });

    it('refuses a unique index over existing duplicates, and creates nothing', async () => {
      await users().insertOne({ _id: 'u1', email: 'same' });
      await users().insertOne({ _id: 'u2', email: 'same' });
      await expectStrataError(users().createIndex({ email: 1 }, { unique: true }), 'DUPLICATE_KEY', 'email_1', 'same');
      expect(await users().listIndexes()).toEqual([]);
      await users().insertOne({ _id: 'u3', email: 'same' });
    });

    it('refuses arrays and objects at indexed paths, since indexes are not multikey', async () => {
      await users().insertOne({ _id: 'u1', tags: ['a'], profile: { city: 'x' } });
      await expectStrataError(users().createIndex({ tags: 1 }), 'INVALID_DOCUMENT', 'tags', 'multikey');
      await expectStrataError(users().createIndex({ profile: 1 }), 'INVALID_DOCUMENT', 'profile');
      await users().createIndex({ 'profile.city': 1 });
      await expectStrataError(users().insertOne({ _id: 'u2', profile: { city: ['x'] } }), 'INVALID_DOCUMENT', 'profile.city');
      await expectStrataError(users().updateOne({ _id: 'u1' }, { $set: { 'profile.city': { name: 'x' } } }), 'INVALID_DOCUMENT', 'profile.city');
      expect(await users().listIndexes()).toEqual([{ name: 'profile.city_1', keys: [['profile.city', 1]], unique: false }]);
    });

    it('never changes query results: every filter matches the same documents with and without indexes', async () => {
      const mixed = store().collection('mixed');
      for (const document of MIXED) await mixed.insertOne(document);
      const before = await Promise.all(FILTERS.map(async (filter) => ids(await mixed.find(filter))));
      await mixed.createIndex({ v: 1 });
      await mixed.createIndex({ 'n.k': 1, v: -1 });
      await mixed.createIndex({ v: 1, _id: 1 }, { unique: true });
      const after = await Promise.all(FILTERS.map(async (filter) => ids(await mixed.find(filter))));
      expect(after).toEqual(before);
      // Spot checks that `before` itself is MongoDB's answer.
      expect(before[FILTERS.findIndex((filter) => filter['v'] === 1)]).toEqual(['m04']);
      expect(before[FILTERS.findIndex((filter) => filter['v'] === null)]).toEqual(['m09', 'm10']);
      expect(before[FILTERS.findIndex((filter) => filter['v'] === true)]).toEqual(['m07']);
    });

    it('checks unique keys against the writes of the same unit of work', async () => {
      await users().createIndex({ email: 1 }, { unique: true });
      await users().insertOne({ _id: 'u1', email: 'one' });
      await users().insertOne({ _id: 'u2', email: 'two' });
      await expectStrataError(
        store().transaction(async (tx) => {
          await tx.collection('users').insertOne({ _id: 'u3', email: 'three' });
          await tx.collection('users').insertOne({ _id: 'u4', email: 'three' });
        }),
        'DUPLICATE_KEY',
        'email_1',
      );
      // Swapping keys through a temporary value commits, whatever order the rows are written in.
      await store().transaction(async (tx) => {
        const inTx = tx.collection('users');
        await inTx.updateOne({ _id: 'u1' }, { $set: { email: 'tmp' } });
        await inTx.updateOne({ _id: 'u2' }, { $set: { email: 'one' } });
        await inTx.updateOne({ _id: 'u1' }, { $set: { email: 'two' } });
      });
      expect(await users().find({}, { sort: { email: 1 } })).toEqual([
        { _id: 'u2', email: 'one' },
        { _id: 'u1', email: 'two' },
      ]);
    });
  });
}
