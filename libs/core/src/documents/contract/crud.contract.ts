import type { BaseDocument } from '../document-types';
import { expectStrataError, ids, type ContractContext } from './contract-context';

interface Account extends BaseDocument {
  owner: string;
  balance: number;
  history?: { amount: number }[];
  note?: string;
}

/** Insert, read back, replace, delete and count; documents are JSON and come back as copies. */
export function describeCrudContract({ store }: ContractContext): void {
  describe('documents', () => {
    const accounts = () => store().collection<Account>('accounts');

    it('inserts a document and reads it back by _id and by field', async () => {
      const result = await accounts().insertOne({ _id: 'a1', owner: 'ada', balance: 10, history: [{ amount: 10 }] });
      expect(result).toEqual({ insertedId: 'a1' });
      expect(await accounts().findOne({ _id: 'a1' })).toEqual({ _id: 'a1', owner: 'ada', balance: 10, history: [{ amount: 10 }] });
      expect(await accounts().findOne({ owner: 'ada' })).toMatchObject({ _id: 'a1' });
      expect(await accounts().findOne({ owner: 'nobody' })).toBeNull();
    });

    it('generates a string _id when the document has none', async () => {
      const { insertedId } = await accounts().insertOne({ owner: 'bob', balance: 0 });
      expect(typeof insertedId).toBe('string');
      expect(insertedId.length).toBeGreaterThan(0);
      expect(await accounts().findOne({ _id: insertedId })).toEqual({ _id: insertedId, owner: 'bob', balance: 0 });
    });

    it('refuses a duplicate _id with DUPLICATE_KEY and keeps the first document', async () => {
      await accounts().insertOne({ _id: 'a1', owner: 'ada', balance: 1 });
      await expectStrataError(accounts().insertOne({ _id: 'a1', owner: 'eve', balance: 2 }), 'DUPLICATE_KEY', 'accounts', '_id_', 'a1');
      expect(await accounts().findOne({ _id: 'a1' })).toMatchObject({ owner: 'ada' });
    });

    it('returns copies: mutating a result or the inserted object never changes the store', async () => {
      const original: Account = { _id: 'a1', owner: 'ada', balance: 1, history: [{ amount: 1 }] };
      await accounts().insertOne(original);
      original.owner = 'changed';
      original.history?.push({ amount: 99 });
      const found = await accounts().findOne({ _id: 'a1' });
      if (!found) throw new Error('missing');
      found.balance = 1000;
      found.history?.splice(0);
      const [listed] = await accounts().find({});
      if (listed) listed.owner = 'mutated';
      expect(await accounts().findOne({ _id: 'a1' })).toEqual({ _id: 'a1', owner: 'ada', balance: 1, history: [{ amount: 1 }] });
    });

    it('refuses documents that are not JSON, naming the field', async () => {
      const bad = (document: unknown) => accounts().insertOne(document as Account);
      await expectStrataError(bad({ _id: 'd', owner: 'x', balance: 1, at: new Date() }), 'INVALID_DOCUMENT', "'at'", 'ISO');
      await expectStrataError(bad({ _id: 'd', owner: 'x', balance: Number.NaN }), 'INVALID_DOCUMENT', "'balance'");
      await expectStrataError(bad({ _id: 'd', nested: { $set: 1 } }), 'INVALID_DOCUMENT', 'nested.$set');
      await expectStrataError(bad({ _id: 'd', 'a.b': 1 }), 'INVALID_DOCUMENT', 'a.b');
      await expectStrataError(bad({ _id: 7, owner: 'x' }), 'INVALID_DOCUMENT', '_id');
      await expectStrataError(bad(['not', 'an', 'object']), 'INVALID_DOCUMENT');
      expect(await accounts().countDocuments()).toBe(0);
    });

    it('omits undefined properties, as JSON does', async () => {
      await accounts().insertOne({ _id: 'a1', owner: 'ada', balance: 1, note: undefined });
      const found = await accounts().findOne({ _id: 'a1' });
      expect(found).toEqual({ _id: 'a1', owner: 'ada', balance: 1 });
      expect(found && 'note' in found).toBe(false);
    });

    it('counts documents, with and without a filter', async () => {
      for (const [id, balance] of [['a', 5], ['b', 15], ['c', 25]] as const) await accounts().insertOne({ _id: id, owner: 'o', balance });
      expect(await accounts().countDocuments()).toBe(3);
      expect(await accounts().countDocuments({ balance: { $gte: 15 } })).toBe(2);
      expect(await accounts().countDocuments({ owner: 'none' })).toBe(0);
    });

    it('keeps collections apart and validates their names', async () => {
      await accounts().insertOne({ _id: 'a1', owner: 'ada', balance: 1 });
      expect(await store().collection('other').countDocuments()).toBe(0);
      expect(await store().collection('other').findOne({ _id: 'a1' })).toBeNull();
      expect(() => store().collection('has space')).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }) as Error);
      expect(() => store().collection('')).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }) as Error);
    });

    describe('replaceOne', () => {
      beforeEach(async () => {
        await accounts().insertOne({ _id: 'a1', owner: 'ada', balance: 1, note: 'old' });
        await accounts().insertOne({ _id: 'a2', owner: 'ada', balance: 2 });
      });

      it('replaces the whole first match and keeps its _id', async () => {
        const result = await accounts().replaceOne({ owner: 'ada' }, { owner: 'ada', balance: 50 });
        expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(await accounts().findOne({ _id: 'a1' })).toEqual({ _id: 'a1', owner: 'ada', balance: 50 });
        expect(await accounts().findOne({ _id: 'a2' })).toEqual({ _id: 'a2', owner: 'ada', balance: 2 });
      });

      it('reports an identical replacement as matched but not modified', async () => {
        const result = await accounts().replaceOne({ _id: 'a2' }, { _id: 'a2', owner: 'ada', balance: 2 });
        expect(result).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
      });

      it('does nothing when nothing matches and upsert is off', async () => {
        expect(await accounts().replaceOne({ _id: 'zz' }, { owner: 'x', balance: 0 })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
        expect(await accounts().countDocuments()).toBe(2);
      });

      it('upserts with the _id of the filter, or a generated one', async () => {
        const byId = await accounts().replaceOne({ _id: 'a9', owner: 'ignored' }, { owner: 'zed', balance: 9 }, { upsert: true });
        expect(byId).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'a9' });
        // Like MongoDB, a replacement upsert takes only _id from the filter.
        expect(await accounts().findOne({ _id: 'a9' })).toEqual({ _id: 'a9', owner: 'zed', balance: 9 });
        const generated = await accounts().replaceOne({ owner: 'nobody' }, { owner: 'new', balance: 0 }, { upsert: true });
        expect(typeof generated.upsertedId).toBe('string');
        expect(await accounts().findOne({ _id: generated.upsertedId ?? '' })).toEqual({ _id: generated.upsertedId, owner: 'new', balance: 0 });
      });

      it('refuses to change _id or to take update operators', async () => {
        await expectStrataError(accounts().replaceOne({ _id: 'a1' }, { _id: 'other', owner: 'x', balance: 0 }), 'IMMUTABLE_FIELD', '_id');
        await expectStrataError(accounts().replaceOne({ _id: 'a1' }, { $set: { balance: 3 } } as never), 'INVALID_DOCUMENT', '$set', 'updateOne');
        expect(await accounts().findOne({ _id: 'a1' })).toEqual({ _id: 'a1', owner: 'ada', balance: 1, note: 'old' });
      });
    });

    describe('deleteOne and deleteMany', () => {
      beforeEach(async () => {
        for (const id of ['d3', 'd1', 'd2', 'x1']) await accounts().insertOne({ _id: id, owner: id.startsWith('d') ? 'del' : 'keep', balance: 0 });
      });

      it('deleteOne removes only the first match in _id order', async () => {
        expect(await accounts().deleteOne({ owner: 'del' })).toEqual({ deletedCount: 1 });
        expect(ids(await accounts().find({}))).toEqual(['d2', 'd3', 'x1']);
      });

      it('deleteMany removes every match and reports zero when nothing matches', async () => {
        expect(await accounts().deleteMany({ owner: 'del' })).toEqual({ deletedCount: 3 });
        expect(await accounts().deleteMany({ owner: 'del' })).toEqual({ deletedCount: 0 });
        expect(ids(await accounts().find({}))).toEqual(['x1']);
      });

      it('allows the _id of a deleted document to be inserted again', async () => {
        await accounts().deleteOne({ _id: 'd1' });
        await accounts().insertOne({ _id: 'd1', owner: 'again', balance: 0 });
        expect(await accounts().findOne({ _id: 'd1' })).toMatchObject({ owner: 'again' });
      });
    });
  });
}
