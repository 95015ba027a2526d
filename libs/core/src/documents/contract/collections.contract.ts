import type { Position } from '../../event-store/position';
import { expectStrataError, ids, type ContractContext } from './contract-context';

const position = (text: string) => text as Position;

/** Listing, dropping and renaming whole collections: what a shadow rebuild and its swap stand on. */
export function describeCollectionsContract({ store }: ContractContext): void {
  describe('collections', () => {
    it('lists the collections that hold documents or indexes, sorted', async () => {
      await store().collection('zebras').insertOne({ _id: 'z1' });
      await store().collection('apes').createIndex({ name: 1 });
      await store().collection('gone').insertOne({ _id: 'g1' });
      await store().collection('gone').deleteOne({ _id: 'g1' });
      await store().collection('never').findOne({});
      expect(await store().listCollections()).toEqual(['apes', 'zebras']);
    });

    it('drops a collection with its documents and indexes, and says whether there was one', async () => {
      const users = store().collection('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.insertOne({ _id: 'u1', email: 'ada@x' });
      expect(await store().dropCollection('users')).toBe(true);
      expect(await store().dropCollection('users')).toBe(false);
      expect(await store().listCollections()).toEqual([]);
      expect(await users.countDocuments()).toBe(0);
      expect(await users.listIndexes()).toEqual([]);
      // The unique index went with it.
      await users.insertOne({ _id: 'u2', email: 'same' });
      await users.insertOne({ _id: 'u3', email: 'same' });
      expect(await users.countDocuments()).toBe(2);
    });

    it('deletes one checkpoint, leaving the others, and says whether there was one', async () => {
      await store().transaction(async (tx) => {
        await tx.setCheckpoint('retired', position('0000000000000004'));
        await tx.setCheckpoint('kept', position('0000000000000005'));
      });
      expect(await store().deleteCheckpoint('retired')).toBe(true);
      expect(await store().deleteCheckpoint('retired')).toBe(false);
      expect(await store().getCheckpoint('retired')).toBeNull();
      expect(await store().getCheckpoint('kept')).toBe('0000000000000005');
      await store().transaction((tx) => tx.setCheckpoint('retired', position('0000000000000001')));
      expect(await store().getCheckpoint('retired')).toBe('0000000000000001');
    });

    it('refuses to drop an invalid name', async () => {
      await expectStrataError(store().dropCollection('no/slash'), 'INVALID_NAME');
    });

    it('renames over a target in one unit with the checkpoint; the target takes the documents and indexes', async () => {
      await store().collection('live').insertOne({ _id: 'old', email: 'old@x' });
      await store().collection('live').createIndex({ stale: 1 });
      const shadow = store().collection('shadow');
      await shadow.createIndex({ email: 1 }, { unique: true });
      await shadow.insertOne({ _id: 'new', email: 'new@x' });
      await store().transaction(async (tx) => {
        await tx.collection('shadow').insertOne({ _id: 'newer', email: 'newer@x' });
        await tx.renameCollection('shadow', 'live');
        await tx.setCheckpoint('swap', position('0000000000000009'));
      });
      const live = store().collection('live');
      expect(ids(await live.find({}))).toEqual(['new', 'newer']);
      expect(await live.listIndexes()).toEqual([{ name: 'email_1', keys: [['email', 1]], unique: true }]);
      await expectStrataError(live.insertOne({ _id: 'dup', email: 'new@x' }), 'DUPLICATE_KEY', 'email_1');
      expect(await live.findOne({ email: 'newer@x' })).toEqual({ _id: 'newer', email: 'newer@x' });
      expect(await shadow.countDocuments()).toBe(0);
      expect(await shadow.listIndexes()).toEqual([]);
      expect(await store().listCollections()).toEqual(['live']);
      expect(await store().getCheckpoint('swap')).toBe('0000000000000009');
    });

    it('leaves both collections and the checkpoint as they were when the unit that renames fails', async () => {
      await store().collection('live').insertOne({ _id: 'old' });
      await store().collection('shadow').createIndex({ n: 1 });
      await store().collection('shadow').insertOne({ _id: 'new', n: 1 });
      await store().transaction(async (tx) => tx.setCheckpoint('swap', position('0000000000000001')));
      const failure = new Error('swap failed');
      await expect(
        store().transaction(async (tx) => {
          await tx.renameCollection('shadow', 'live');
          await tx.setCheckpoint('swap', position('0000000000000002'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(ids(await store().collection('live').find({}))).toEqual(['old']);
      expect(await store().collection('live').listIndexes()).toEqual([]);
      expect(ids(await store().collection('shadow').find({ n: 1 }))).toEqual(['new']);
      expect(await store().collection('shadow').listIndexes()).toHaveLength(1);
      expect(await store().getCheckpoint('swap')).toBe('0000000000000001');
    });

    it('empties the target when the source does not exist', async () => {
      await store().collection('live').insertOne({ _id: 'old' });
      await store().collection('live').createIndex({ n: 1 });
      await store().transaction(async (tx) => tx.renameCollection('missing', 'live'));
      expect(await store().collection('live').countDocuments()).toBe(0);
      expect(await store().collection('live').listIndexes()).toEqual([]);
      expect(await store().listCollections()).toEqual([]);
    });

    it('swaps again and again under the same names, each time with working indexes', async () => {
      for (const round of [1, 2, 3]) {
        const shadow = store().collection('shadow');
        await shadow.createIndex({ key: 1 }, { unique: true });
        await shadow.insertOne({ _id: `d${round}`, key: round });
        await expectStrataError(shadow.insertOne({ _id: 'dup', key: round }), 'DUPLICATE_KEY', 'key_1');
        await store().transaction(async (tx) => tx.renameCollection('shadow', 'live'));
        const live = store().collection('live');
        expect(await live.find({ key: round })).toEqual([{ _id: `d${round}`, key: round }]);
        await expectStrataError(live.insertOne({ _id: 'dup', key: round }), 'DUPLICATE_KEY', 'key_1');
        expect(await live.listIndexes()).toEqual([{ name: 'key_1', keys: [['key', 1]], unique: true }]);
      }
      expect(await store().listCollections()).toEqual(['live']);
    });

    it('refuses further use of either name in the unit that renames it, and renaming to itself', async () => {
      await store().transaction(async (tx) => {
        const source = tx.collection('a');
        await source.insertOne({ _id: 'x' });
        await tx.renameCollection('a', 'b');
        await expectStrataError(source.findOne({}), 'COLLECTION_RENAMED', "'a'");
        await expectStrataError(tx.collection('b').insertOne({ _id: 'y' }), 'COLLECTION_RENAMED', "'b'");
        await expectStrataError(tx.renameCollection('b', 'c'), 'COLLECTION_RENAMED');
        await expectStrataError(tx.renameCollection('c', 'c'), 'INVALID_NAME', 'itself');
        await expectStrataError(tx.renameCollection('c', 'bad/name'), 'INVALID_NAME');
      });
      expect(await store().collection('b').find({})).toEqual([{ _id: 'x' }]);
      expect(await store().listCollections()).toEqual(['b']);
    });
  });
}
