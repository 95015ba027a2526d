import type { Position } from '../../event-store/position';
import type { DocumentTransaction } from '../document-store';
import { expectStrataError, ids, type ContractContext } from './contract-context';

const position = (text: string) => text as Position;

/** Atomic units of work across collections with checkpoints, read-your-writes, and conflicts. */
export function describeUnitOfWorkContract({ store }: ContractContext): void {
  describe('units of work', () => {
    it('commits writes to several collections and a checkpoint together, and returns the result', async () => {
      await store().collection('balances').insertOne({ _id: 'b1', amount: 10 });
      const result = await store().transaction(async (tx) => {
        await tx.collection('accounts').insertOne({ _id: 'a1', owner: 'ada' });
        await tx.collection('balances').updateOne({ _id: 'b1' }, { $inc: { amount: 5 } });
        await tx.collection('balances').deleteMany({ amount: { $lt: 0 } });
        await tx.setCheckpoint('accounts-projection', position('0000000000000007'));
        return 'done';
      });
      expect(result).toBe('done');
      expect(await store().collection('accounts').findOne({ _id: 'a1' })).toEqual({ _id: 'a1', owner: 'ada' });
      expect(await store().collection('balances').findOne({ _id: 'b1' })).toEqual({ _id: 'b1', amount: 15 });
      expect(await store().getCheckpoint('accounts-projection')).toBe('0000000000000007');
    });

    it('writes nothing, checkpoint included, when the callback throws', async () => {
      await store().transaction(async (tx) => {
        await tx.collection('balances').insertOne({ _id: 'b1', amount: 10 });
        await tx.setCheckpoint('p', position('0000000000000001'));
      });
      const failure = new Error('handler failed');
      await expect(
        store().transaction(async (tx) => {
          await tx.collection('accounts').insertOne({ _id: 'a1', owner: 'ada' });
          await tx.collection('balances').updateOne({ _id: 'b1' }, { $inc: { amount: 5 } });
          await tx.collection('balances').insertOne({ _id: 'b2', amount: 1 });
          await tx.collection('balances').deleteOne({ _id: 'b1' });
          await tx.setCheckpoint('p', position('0000000000000002'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store().collection('accounts').countDocuments()).toBe(0);
      expect(await store().collection('balances').find({})).toEqual([{ _id: 'b1', amount: 10 }]);
      expect(await store().getCheckpoint('p')).toBe('0000000000000001');
    });

    it('sees its own writes: inserts, updates, deletes and checkpoints', async () => {
      await store().collection('items').insertOne({ _id: 'i1', n: 1 });
      await store().collection('items').insertOne({ _id: 'i2', n: 2 });
      await store().transaction(async (tx) => {
        const items = tx.collection<{ _id: string; n: number }>('items');
        await items.insertOne({ _id: 'i0', n: 0 });
        await items.updateOne({ _id: 'i1' }, { $set: { n: 10 } });
        await items.deleteOne({ _id: 'i2' });
        expect(ids(await items.find({}))).toEqual(['i0', 'i1']);
        expect(await items.findOne({ n: { $gte: 5 } })).toEqual({ _id: 'i1', n: 10 });
        expect(await items.findOne({ _id: 'i2' })).toBeNull();
        expect(await items.countDocuments({ n: { $lt: 5 } })).toBe(1);
        expect(await items.updateOne({ _id: 'i0' }, { $inc: { n: 1 } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
        expect(await items.findOne({ _id: 'i0' })).toEqual({ _id: 'i0', n: 1 });
        expect(await tx.getCheckpoint('items')).toBeNull();
        await tx.setCheckpoint('items', position('0000000000000003'));
        expect(await tx.getCheckpoint('items')).toBe('0000000000000003');
      });
      expect(await store().collection('items').find({}, { sort: { n: 1 } })).toEqual([
        { _id: 'i0', n: 1 },
        { _id: 'i1', n: 10 },
      ]);
    });

    it('reads its own writes back as the store would return them once committed, as copies', async () => {
      const seen = await store().transaction(async (tx) => {
        const items = tx.collection('items');
        await items.insertOne({ _id: 'flat', n: 1, gone: undefined, s: 'x', b: true, z: null });
        await items.replaceOne({ _id: 'nested' }, { inner: { n: 1 } }, { upsert: true });
        const flat = await items.findOne({ _id: 'flat' });
        if (flat) flat['s'] = 'changed';
        const nested = await items.findOne({ _id: 'nested' });
        const inner = nested?.['inner'] as { n: number } | undefined;
        if (inner) inner.n = 2;
        return { flat: await items.findOne({ _id: 'flat' }), nested: await items.findOne({ _id: 'nested' }) };
      });
      expect(seen.flat).toEqual({ _id: 'flat', n: 1, s: 'x', b: true, z: null });
      expect(Object.keys(seen.flat ?? {})).toEqual(['_id', 'n', 's', 'b', 'z']);
      expect(seen.nested).toEqual({ _id: 'nested', inner: { n: 1 } });
      expect(await store().collection('items').findOne({ _id: 'flat' })).toEqual(seen.flat);
    });

    it('keeps its writes invisible to others until it commits', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const writtenInside = new Promise<void>((resolve) => (written = resolve));
      const unit = store().transaction(async (tx) => {
        await tx.collection('items').insertOne({ _id: 'pending' });
        await tx.setCheckpoint('items', position('0000000000000009'));
        written();
        await gate;
      });
      await writtenInside;
      expect(await store().collection('items').findOne({ _id: 'pending' })).toBeNull();
      expect(await store().getCheckpoint('items')).toBeNull();
      release();
      await unit;
      expect(await store().collection('items').findOne({ _id: 'pending' })).toEqual({ _id: 'pending' });
      expect(await store().getCheckpoint('items')).toBe('0000000000000009');
    });

    it('overwrites checkpoints and keeps names apart', async () => {
      expect(await store().getCheckpoint('a')).toBeNull();
      await store().transaction(async (tx) => tx.setCheckpoint('a', position('0000000000000001')));
      await store().transaction(async (tx) => tx.setCheckpoint('b', position('00000000000000ff')));
      await store().transaction(async (tx) => tx.setCheckpoint('a', position('0000000000000002')));
      expect(await store().getCheckpoint('a')).toBe('0000000000000002');
      expect(await store().getCheckpoint('b')).toBe('00000000000000ff');
    });

    it('raises a failed write at the call and leaves no trace of it; the rest still commits', async () => {
      await store().collection('items').insertOne({ _id: 'i1', n: 1 });
      await store().transaction(async (tx) => {
        const items = tx.collection('items');
        await items.insertOne({ _id: 'i2', n: 2 });
        await expectStrataError(items.insertOne({ _id: 'i1' }), 'DUPLICATE_KEY', 'i1');
        await expectStrataError(items.updateMany({}, { $inc: { n: 1 }, $push: { n: 1 } }), 'INVALID_UPDATE');
        expect(await items.find({}, { sort: { _id: 1 } })).toEqual([
          { _id: 'i1', n: 1 },
          { _id: 'i2', n: 2 },
        ]);
      });
      expect(await store().collection('items').countDocuments()).toBe(2);
    });

    it('raises a conflict on a secondary unique index at the call; a unit that carries on still commits the rest', async () => {
      // On MongoDB a duplicate key the server refuses aborts the whole transaction; a handler may catch it and carry on.
      const users = store().collection('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.insertOne({ _id: 'u1', email: 'ada@x' });
      await users.insertOne({ _id: 'u2', email: 'bob@x' });
      await store().transaction(async (tx) => {
        const inUnit = tx.collection('users');
        await expectStrataError(inUnit.insertOne({ _id: 'u3', email: 'ada@x' }), 'DUPLICATE_KEY', 'email_1');
        await expectStrataError(inUnit.updateOne({ _id: 'u2' }, { $set: { email: 'ada@x' } }), 'DUPLICATE_KEY', 'email_1');
        await expectStrataError(inUnit.replaceOne({ _id: 'u2' }, { email: 'ada@x' }), 'DUPLICATE_KEY', 'email_1');
        await inUnit.insertOne({ _id: 'u4', email: 'eve@x' });
        await tx.setCheckpoint('users', position('0000000000000007'));
      });
      expect((await users.find({}, { sort: { _id: 1 } })).map((user) => user['email'])).toEqual(['ada@x', 'bob@x', 'eve@x']);
      expect(await store().getCheckpoint('users')).toBe('0000000000000007');
    });

    it('after a caught write the store refused, commits the rest, or names the refusal as abortedBy and fails with it, writing nothing', async () => {
      // SQLite and PostgreSQL refuse before anything is written, so the unit goes on; a MongoDB
      // transaction dies with the first write the server refuses, so nothing after it can commit.
      await store().collection('people').insertOne({ _id: 'p1', name: 'ada' });
      let refusal: unknown;
      let later: unknown;
      let aborted: Error | undefined;
      const outcome = await store()
        .transaction(async (tx) => {
          refusal = await tx.collection('people').updateOne({ _id: 'p1' }, { $inc: { name: 1 } }).then(() => 'applied', (error: unknown) => error);
          aborted = tx.abortedBy?.();
          later = await tx.collection('people').insertOne({ _id: 'p2', name: 'bob' }).then(() => 'written', (error: unknown) => error);
          await tx.setCheckpoint('people', position('0000000000000004'));
        })
        .then(() => 'committed', (error: unknown) => error);
      expect(refusal).toMatchObject({ code: 'INVALID_UPDATE' });
      const people = await store().collection('people').find({}, { sort: { _id: 1 } });
      if (aborted === undefined) {
        expect([later, outcome]).toEqual(['written', 'committed']);
        expect(people).toEqual([{ _id: 'p1', name: 'ada' }, { _id: 'p2', name: 'bob' }]);
        expect(await store().getCheckpoint('people')).toBe('0000000000000004');
      } else {
        for (const seen of [aborted, later, outcome]) expect(seen).toBe(refusal);
        expect(people).toEqual([{ _id: 'p1', name: 'ada' }]);
        expect(await store().getCheckpoint('people')).toBeNull();
      }
    });

    it('refuses use of the handle after the unit of work has ended', async () => {
      let leaked: DocumentTransaction | undefined;
      await store().transaction(async (tx) => {
        leaked = tx;
      });
      if (!leaked) throw new Error('no handle');
      await expectStrataError(leaked.collection('items').insertOne({ _id: 'late' }), 'TRANSACTION_CLOSED');
      await expectStrataError(leaked.setCheckpoint('x', position('0000000000000001')), 'TRANSACTION_CLOSED');
      expect(await store().collection('items').countDocuments()).toBe(0);
    });

    it('lets exactly one of two overlapping units that write one document win', async () => {
      await store().collection('items').insertOne({ _id: 'i1', n: 0 });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = store().transaction(async (tx) => {
        await tx.collection('items').updateOne({ _id: 'i1' }, { $set: { n: 1 } });
        await gate;
      });
      const fast = store().transaction(async (tx) => {
        await tx.collection('items').updateOne({ _id: 'i1' }, { $set: { n: 2 } });
      });
      const fastOutcome = await fast.then(() => 'ok', (error: unknown) => error);
      release();
      const slowOutcome = await slow.then(() => 'ok', (error: unknown) => error);
      const outcomes = [slowOutcome, fastOutcome];
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome !== 'ok')).toMatchObject({ code: 'WRITE_CONFLICT' });
      const winner = slowOutcome === 'ok' ? 1 : 2;
      expect(await store().collection('items').findOne({ _id: 'i1' })).toEqual({ _id: 'i1', n: winner });
    });

    it('applies concurrent single-operation writes atomically', async () => {
      const counters = store().collection<{ _id: string; n: number }>('counters');
      await counters.insertOne({ _id: 'c', n: 0 });
      await Promise.all(Array.from({ length: 25 }, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
      expect(await counters.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: 25 });
    });

    it('refuses malformed checkpoints', async () => {
      await expectStrataError(store().getCheckpoint(''), 'INVALID_NAME');
      await expectStrataError(store().transaction(async (tx) => tx.setCheckpoint('p', '' as Position)), 'INVALID_NAME');
    });
  });
}
