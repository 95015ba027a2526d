import { DEFAULT_FIND_LIMIT, type Filter } from '../document-types';
import type { DocumentCollection } from '../document-store';
import { expectStrataError, ids, insertPeople, type ContractContext, type Person } from './contract-context';

/** MongoDB filter semantics (mingo), sort, skip, limit and projection. */
export function describeQueryContract({ store }: ContractContext): void {
  describe('queries', () => {
    let people: DocumentCollection<Person>;
    const match = async (filter: Filter<Person>) => ids(await people.find(filter));

    beforeEach(async () => {
      await insertPeople(store());
      people = store().collection<Person>('people');
    });

    it('matches dotted paths and whole embedded documents', async () => {
      expect(await match({ 'address.city': 'London' })).toEqual(['p1', 'p3']);
      // An embedded document matches only exactly (p1 also has a zip).
      expect(await match({ address: { city: 'London' } })).toEqual(['p3']);
    });

    it('matches arrays by element, exactly, with $all, $in, $size and $elemMatch', async () => {
      expect(await match({ tags: 'math' })).toEqual(['p1', 'p2', 'p3']);
      expect(await match({ tags: ['math'] })).toEqual(['p3']);
      expect(await match({ tags: { $all: ['math', 'poetry'] } })).toEqual(['p1']);
      expect(await match({ tags: { $in: ['navy', 'poetry'] } })).toEqual(['p1', 'p2']);
      expect(await match({ tags: { $size: 0 } })).toEqual(['p4']);
      expect(await match({ scores: { $gt: 88 } })).toEqual(['p1']);
      expect(await match({ scores: { $elemMatch: { $gte: 80, $lt: 88 } } })).toEqual(['p2']);
    });

    it('applies $elemMatch to one element, unlike separate dotted conditions', async () => {
      expect(await match({ 'items.sku': 'a', 'items.qty': 5 })).toEqual(['p1']);
      expect(await match({ items: { $elemMatch: { sku: 'a', qty: 5 } } })).toEqual([]);
      expect(await match({ items: { $elemMatch: { sku: 'b', qty: { $gte: 3 } } } })).toEqual(['p1']);
      expect(await match({ 'items.qty': { $gte: 2, $lte: 2 } })).toEqual(['p1', 'p2']);
    });

    it('compares with MongoDB semantics for null, missing and mixed values', async () => {
      expect(await match({ age: { $gt: 40 } })).toEqual(['p2', 'p3']);
      expect(await match({ age: { $gte: 41 } })).toEqual(['p2', 'p3']);
      expect(await match({ age: { $lt: 40 } })).toEqual(['p1']);
      expect(await match({ age: { $lte: 36 } })).toEqual(['p1']);
      expect(await match({ age: { $ne: 36 } })).toEqual(['p2', 'p3', 'p4', 'p5']);
      expect(await match({ age: { $nin: [36, 45] } })).toEqual(['p3', 'p4', 'p5']);
      expect(await match({ age: { $in: [36, null] } })).toEqual(['p1', 'p4', 'p5']);
      expect(await match({ age: null })).toEqual(['p4', 'p5']);
      expect(await match({ age: { $exists: false } })).toEqual(['p5']);
      expect(await match({ age: { $exists: true } })).toEqual(['p1', 'p2', 'p3', 'p4']);
      expect(await match({ age: { $eq: 41 } })).toEqual(['p3']);
      expect(await match({ age: '36' })).toEqual([]);
      expect(await match({ active: true })).toEqual(['p1']);
      expect(await match({ active: { $ne: true } })).toEqual(['p2', 'p3', 'p4', 'p5']);
    });

    it('combines conditions with $or, $and, $nor and $not', async () => {
      expect(await match({ $or: [{ age: { $lt: 40 } }, { 'address.city': 'Austin' }] })).toEqual(['p1', 'p4']);
      expect(await match({ $and: [{ tags: 'math' }, { tags: 'navy' }] })).toEqual(['p2']);
      expect(await match({ $nor: [{ tags: 'math' }, { name: 'barbara' }] })).toEqual(['p4']);
      expect(await match({ age: { $not: { $gt: 40 } } })).toEqual(['p1', 'p4', 'p5']);
      expect(await match({ 'address.city': 'London', $or: [{ age: 41 }, { active: true }] })).toEqual(['p1', 'p3']);
    });

    it('matches regular expressions and $regex with options', async () => {
      expect(await match({ name: /^a/i })).toEqual(['p1', 'p3']);
      expect(await match({ name: { $regex: '^B', $options: 'i' } })).toEqual(['p5']);
      expect(await match({ name: { $not: /a/ } })).toEqual(['p4']);
    });

    it('sorts by several keys, dotted ones included, with missing values first', async () => {
      expect(ids(await people.find({}, { sort: { 'address.city': 1, age: -1 } }))).toEqual(['p5', 'p4', 'p3', 'p1', 'p2']);
      expect(ids(await people.find({}, { sort: { age: -1 } }))).toEqual(['p2', 'p3', 'p1', 'p4', 'p5']);
      expect(ids(await people.find({ 'address.city': 'London' }, { sort: { name: -1 } }))).toEqual(['p3', 'p1']);
    });

    it('orders by _id when no sort is given', async () => {
      expect(ids(await people.find({}))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      expect(await people.findOne({ tags: 'math' })).toMatchObject({ _id: 'p1' });
      expect(await people.findOne({ tags: 'math' }, { sort: { age: -1 } })).toMatchObject({ _id: 'p2' });
    });

    it('skips and limits after sorting', async () => {
      expect(ids(await people.find({}, { sort: { name: 1 }, skip: 1, limit: 2 }))).toEqual(['p3', 'p4']);
      expect(ids(await people.find({}, { skip: 4 }))).toEqual(['p5']);
      expect(ids(await people.find({}, { skip: 9 }))).toEqual([]);
      expect(await people.findOne({}, { sort: { _id: -1 }, skip: 1 })).toMatchObject({ _id: 'p4' });
    });

    it(`returns at most ${DEFAULT_FIND_LIMIT} documents unless a larger limit is given`, async () => {
      await store().transaction(async (tx) => {
        const bulk = tx.collection('bulk');
        for (let n = 0; n <= DEFAULT_FIND_LIMIT; n++) await bulk.insertOne({ _id: `b${String(n).padStart(5, '0')}` });
      });
      const bulk = store().collection('bulk');
      expect(await bulk.find({})).toHaveLength(DEFAULT_FIND_LIMIT);
      expect(await bulk.find({}, { limit: DEFAULT_FIND_LIMIT + 5 })).toHaveLength(DEFAULT_FIND_LIMIT + 1);
      expect(await bulk.countDocuments({})).toBe(DEFAULT_FIND_LIMIT + 1);
    });

    it('refuses invalid limits, skips and sorts', async () => {
      await expectStrataError(people.find({}, { limit: 0 }), 'INVALID_FIND_OPTIONS', 'limit');
      await expectStrataError(people.find({}, { limit: 1.5 }), 'INVALID_FIND_OPTIONS', 'limit');
      await expectStrataError(people.find({}, { skip: -1 }), 'INVALID_FIND_OPTIONS', 'skip');
      await expectStrataError(people.find({}, { sort: { age: 2 as never } }), 'INVALID_FIND_OPTIONS', 'age');
    });

    it('projects by inclusion and by exclusion, _id included unless excluded', async () => {
      expect(await people.findOne({ _id: 'p1' }, { projection: { name: 1 } })).toEqual({ _id: 'p1', name: 'Ada' });
      expect(await people.findOne({ _id: 'p1' }, { projection: { name: 1, _id: 0 } })).toEqual({ name: 'Ada' });
      expect(await people.findOne({ _id: 'p1' }, { projection: { 'address.city': 1 } })).toEqual({ _id: 'p1', address: { city: 'London' } });
      expect(await people.findOne({ _id: 'p2' }, { projection: { tags: 0, scores: 0, items: 0, address: 0, active: 0 } })).toEqual({
        _id: 'p2',
        name: 'Grace',
        age: 45,
      });
      expect(await people.find({ tags: 'math' }, { projection: { age: 1 }, sort: { name: 1 } })).toEqual([
        { _id: 'p1', age: 36 },
        { _id: 'p3', age: 41 },
        { _id: 'p2', age: 45 },
      ]);
    });

    it('sorts by a field the projection leaves out', async () => {
      expect(await people.find({ tags: 'math' }, { projection: { name: 1, _id: 0 }, sort: { age: -1 } })).toEqual([
        { name: 'Grace' },
        { name: 'Alan' },
        { name: 'Ada' },
      ]);
    });

    it('refuses mixed projections and projection operators', async () => {
      await expectStrataError(people.find({}, { projection: { name: 1, age: 0 } }), 'INVALID_FIND_OPTIONS');
      await expectStrataError(people.find({}, { projection: { tags: { $slice: 1 } } as never }), 'UNSUPPORTED_OPERATOR', '$slice');
    });

    it.each([
      ['$where', { $where: 'this.age > 1' }],
      ['$expr', { $expr: { $gt: ['$age', 1] } }],
      ['$text', { $text: { $search: 'ada' } }],
      ['$jsonSchema', { $jsonSchema: {} }],
      ['$near', { location: { $near: [0, 0] } }],
      ['$bitsAllSet', { age: { $bitsAllSet: 1 } }],
      ['$where', { $or: [{ age: 1 }, { $where: 'true' }] }],
      ['$where', { items: { $elemMatch: { $where: 'true' } } }],
    ])('refuses the unsupported operator %s, naming it', async (operator, filter) => {
      await expectStrataError(people.find(filter), 'UNSUPPORTED_OPERATOR', operator, 'filter');
      await expectStrataError(people.countDocuments(filter), 'UNSUPPORTED_OPERATOR', operator);
    });

    it('refuses filters that are not plain objects or cannot match stored JSON', async () => {
      await expectStrataError(people.find([] as never), 'INVALID_FILTER', 'plain object');
      await expectStrataError(people.find('p1' as never), 'INVALID_FILTER', 'plain object');
      await expectStrataError(people.find({ age: new Date() }), 'INVALID_FILTER', 'age', 'ISO');
      await expectStrataError(people.find({ age: undefined }), 'INVALID_FILTER', 'null');
      await expectStrataError(people.find({ $or: [] }), 'INVALID_FILTER', '$or');
      await expectStrataError(people.find({ age: { $gt: 1, name: 'x' } }), 'INVALID_FILTER', 'mixes');
      await expectStrataError(people.deleteMany({ age: { $in: 36 } }), 'INVALID_FILTER', '$in');
      expect(await people.countDocuments()).toBe(5);
    });
  });
}
