import type { DocumentCollection } from '../document-store';
import type { UpdateFilter } from '../document-types';
import { expectStrataError, insertPeople, type ContractContext, type Person } from './contract-context';

/** Update operators (mingo), result counts, upserts, and the updates that must be refused. */
export function describeUpdateContract({ store }: ContractContext): void {
  describe('updates', () => {
    let people: DocumentCollection<Person>;
    const get = (id: string) => people.findOne<Record<string, unknown>>({ _id: id });

    beforeEach(async () => {
      await insertPeople(store());
      people = store().collection<Person>('people');
    });

    it('$set writes top-level, dotted (creating parents) and array-index paths', async () => {
      const result = await people.updateOne({ _id: 'p3' }, { $set: { name: 'Alan T', 'address.zip': 'M1', 'meta.source.kind': 'import', 'scores.1': 7 } });
      expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await get('p3')).toEqual({
        _id: 'p3',
        name: 'Alan T',
        age: 41,
        address: { city: 'London', zip: 'M1' },
        tags: ['math'],
        scores: [null, 7],
        items: [],
        meta: { source: { kind: 'import' } },
      });
    });

    it('$unset removes fields, dotted ones included, and ignores missing ones', async () => {
      await people.updateOne({ _id: 'p1' }, { $unset: { age: '', 'address.zip': '', nothing: '' } });
      expect(await get('p1')).toMatchObject({ address: { city: 'London' } });
      expect(await get('p1')).not.toHaveProperty('age');
    });

    it('$inc adds to numbers and creates missing fields', async () => {
      await people.updateOne({ _id: 'p1' }, { $inc: { age: 2, visits: 1, 'stats.logins': -3 } });
      expect(await get('p1')).toMatchObject({ age: 38, visits: 1, stats: { logins: -3 } });
    });

    it('$push appends, with $each, and creates the array', async () => {
      await people.updateOne({ _id: 'p1' }, { $push: { tags: 'chess', log: 'created' } });
      await people.updateOne({ _id: 'p1' }, { $push: { tags: { $each: ['go', 'tea'] } } });
      expect(await get('p1')).toMatchObject({ tags: ['math', 'poetry', 'chess', 'go', 'tea'], log: ['created'] });
    });

    it('$pull removes equal elements and elements matching a condition', async () => {
      await people.updateOne({ _id: 'p1' }, { $pull: { tags: 'math', items: { qty: { $gte: 2 } } } });
      expect(await get('p1')).toMatchObject({ tags: ['poetry'], items: [{ sku: 'a', qty: 1 }] });
      await people.updateOne({ _id: 'p2' }, { $pull: { tags: { $in: ['navy', 'math'] } } });
      expect(await get('p2')).toMatchObject({ tags: [] });
    });

    it('$addToSet adds only absent values, with $each', async () => {
      expect(await people.updateOne({ _id: 'p3' }, { $addToSet: { tags: 'math' } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
      await people.updateOne({ _id: 'p3' }, { $addToSet: { tags: { $each: ['math', 'logic', 'logic'] } } });
      expect(await get('p3')).toMatchObject({ tags: ['math', 'logic'] });
    });

    it('updates the matched element with $ and every element with $[]', async () => {
      await people.updateOne({ _id: 'p1', 'items.sku': 'b' }, { $set: { 'items.$.qty': 9 } });
      expect(await get('p1')).toMatchObject({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 9 }] });
      await people.updateOne({ _id: 'p1' }, { $inc: { 'items.$[].qty': 1 } });
      expect(await get('p1')).toMatchObject({ items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 10 }] });
    });

    it('updateOne changes only the first match in _id order; unchanged documents are not counted as modified', async () => {
      expect(await people.updateOne({ tags: 'math' }, { $set: { flag: 1 } })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await people.countDocuments({ flag: 1 })).toBe(1);
      expect(await get('p1')).toMatchObject({ flag: 1 });
      expect(await people.updateOne({ _id: 'p1' }, { $set: { name: 'Ada' } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
      expect(await people.updateOne({ _id: 'none' }, { $set: { name: 'x' } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
    });

    it('updateMany changes every match and counts matched and modified apart', async () => {
      expect(await people.updateMany({ 'address.city': 'London' }, { $set: { age: 41 } })).toEqual({ matchedCount: 2, modifiedCount: 1, upsertedId: null });
      expect(await people.countDocuments({ age: 41 })).toBe(2);
      expect(await people.updateMany({ tags: 'math' }, { $inc: { age: 1 } })).toEqual({ matchedCount: 3, modifiedCount: 3, upsertedId: null });
    });

    describe('upsert', () => {
      it('seeds the new document from the equality conditions of the filter', async () => {
        const result = await people.updateOne(
          { name: 'Hopper', 'address.city': 'Arlington', age: { $gt: 3 }, $and: [{ active: true }, { 'rank.title': { $eq: 'admiral' } }] },
          { $set: { status: 'new' }, $inc: { visits: 1 }, $push: { tags: 'cobol' } },
          { upsert: true },
        );
        expect(result.matchedCount).toBe(0);
        expect(result.modifiedCount).toBe(0);
        const id = result.upsertedId ?? '';
        expect(typeof id).toBe('string');
        expect(await get(id)).toEqual({
          _id: id,
          name: 'Hopper',
          address: { city: 'Arlington' },
          active: true,
          rank: { title: 'admiral' },
          status: 'new',
          visits: 1,
          tags: ['cobol'],
        });
      });

      it('takes _id from the filter, and updates instead when a document matches', async () => {
        expect(await people.updateOne({ _id: 'p9' }, { $set: { name: 'Nine' } }, { upsert: true })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'p9' });
        expect(await get('p9')).toEqual({ _id: 'p9', name: 'Nine' });
        expect(await people.updateOne({ _id: 'p9' }, { $set: { name: 'Nein' } }, { upsert: true })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(await people.countDocuments({ _id: 'p9' })).toBe(1);
      });

      it('lets the update set _id of a new document, and upserts through updateMany', async () => {
        expect((await people.updateOne({ name: 'X' }, { $set: { _id: 'chosen' } }, { upsert: true })).upsertedId).toBe('chosen');
        const many = await people.updateMany({ name: 'Nobody' }, { $set: { seen: true } }, { upsert: true });
        expect(many.matchedCount).toBe(0);
        expect(await people.findOne({ name: 'Nobody' })).toMatchObject({ _id: many.upsertedId, seen: true });
      });

      it('refuses an update that changes the _id the filter seeded', async () => {
        await expectStrataError(people.updateOne({ _id: 'q1' }, { $set: { _id: 'q2' } }, { upsert: true }), 'IMMUTABLE_FIELD', '_id');
        expect(await people.countDocuments({ _id: { $in: ['q1', 'q2'] } })).toBe(0);
      });
    });

    describe('refused updates', () => {
      it('refuses a replacement document, naming replaceOne', async () => {
        await expectStrataError(people.updateOne({ _id: 'p1' }, { name: 'x' } as never), 'INVALID_UPDATE', "'name'", 'replaceOne');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { a: 1 }, name: 'x' } as never), 'INVALID_UPDATE', 'replaceOne');
        await expectStrataError(people.updateOne({ _id: 'p1' }, {}), 'INVALID_UPDATE');
      });

      it.each([
        ['$rename', { $rename: { name: 'fullName' } }],
        ['$pop', { $pop: { tags: 1 } }],
        ['$setOnInsert', { $setOnInsert: { a: 1 } }],
        ['$currentDate', { $currentDate: { at: true } }],
        ['$foo', { $set: { a: 1 }, $foo: { b: 1 } }],
        ['$position', { $addToSet: { tags: { $each: ['x'], $position: 0 } } }],
        ['$where', { $pull: { items: { $where: 'true' } } }],
        ['$[elem]', { $set: { 'items.$[elem].qty': 1 } }],
      ])('refuses the unsupported operator %s, naming it', async (operator, update) => {
        await expectStrataError(people.updateOne({ _id: 'p1' }, update as UpdateFilter), 'UNSUPPORTED_OPERATOR', operator);
        await expectStrataError(people.updateMany({}, update as UpdateFilter), 'UNSUPPORTED_OPERATOR', operator);
      });

      it('keeps _id immutable', async () => {
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { _id: 'other' } }), 'IMMUTABLE_FIELD', '_id', 'p1');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $unset: { _id: '' } }), 'IMMUTABLE_FIELD');
        expect(await people.updateOne({ _id: 'p1' }, { $set: { _id: 'p1' } })).toMatchObject({ modifiedCount: 0 });
        expect(await people.countDocuments({ _id: 'p1' })).toBe(1);
      });

      it('refuses operators applied to the wrong type, as MongoDB does, instead of doing nothing', async () => {
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $inc: { name: 1 } }), 'INVALID_UPDATE', '$inc', 'name');
        await expectStrataError(people.updateOne({ _id: 'p4' }, { $inc: { age: 1 } }), 'INVALID_UPDATE', 'age', 'null');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $push: { name: 'x' } }), 'INVALID_UPDATE', '$push');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $addToSet: { age: 1 } }), 'INVALID_UPDATE', '$addToSet');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { 'name.first': 'A' } }), 'INVALID_UPDATE', 'name.first');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { 'items.sku': 'z' } }), 'INVALID_UPDATE', 'items');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $inc: { age: '1' } } as never), 'INVALID_UPDATE', '$inc');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { age: 1 }, $inc: { age: 1 } }), 'INVALID_UPDATE', 'age');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { '': 1 } }), 'INVALID_UPDATE');
        await expectStrataError(people.updateOne({ _id: 'p1' }, { $set: { at: new Date() } }), 'INVALID_DOCUMENT', 'at');
        expect(await people.findOne({ _id: 'p1' })).toEqual(expect.objectContaining({ name: 'Ada', age: 36 }));
      });

      it('writes nothing when updateMany fails part way', async () => {
        await expectStrataError(people.updateMany({}, { $inc: { age: 1 } }), 'INVALID_UPDATE', 'null');
        expect(await people.findOne({ _id: 'p1' })).toMatchObject({ age: 36 });
      });
    });
  });
}
