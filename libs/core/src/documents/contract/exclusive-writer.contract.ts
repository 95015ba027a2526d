import { expectStrataError, ids, type ContractContext } from './contract-context';

interface Ledger {
  _id: string;
  owner: string;
  balance: number;
}

/**
 * Units of work of a writer that alone changes some collections (what a replay rebuilds its
 * shadows with): whatever a store remembers or defers for it, each unit reads and commits as
 * a plain one would, and changes made past the writer through the store are seen.
 */
export function describeExclusiveWriterContract({ store }: ContractContext): void {
  describe('exclusive writers', () => {
    it('commits like a unit of work, and each unit reads what the earlier ones wrote', async () => {
      const writer = await store().exclusiveWriter(['ledgers', 'entries']);
      try {
        const first = await writer.transaction(async (tx) => {
          const ledgers = tx.collection<Ledger>('ledgers');
          expect(await ledgers.findOne({ _id: 'a' })).toBeNull();
          const inserted = await ledgers.replaceOne({ _id: 'a' }, { owner: 'ada', balance: 0 }, { upsert: true });
          await tx.collection('entries').insertOne({ _id: 'e1', ledger: 'a', amount: 5 });
          await ledgers.updateOne({ _id: 'a' }, { $inc: { balance: 5 } });
          return inserted;
        });
        expect(first).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'a' });
        const second = await writer.transaction(async (tx) => {
          const ledgers = tx.collection<Ledger>('ledgers');
          const ledger = await ledgers.findOne({ _id: 'a' });
          expect(ledger).toEqual({ _id: 'a', owner: 'ada', balance: 5 });
          if (ledger) ledger.balance = -1;
          expect(await ledgers.findOne({ _id: 'a' })).toEqual({ _id: 'a', owner: 'ada', balance: 5 });
          await expectStrataError(tx.collection('entries').insertOne({ _id: 'e1' }), 'DUPLICATE_KEY', 'e1');
          await tx.collection('entries').deleteOne({ _id: 'e1' });
          return ledgers.replaceOne({ _id: 'a' }, { owner: 'ada', balance: 7 }, { upsert: true });
        });
        expect(second).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        await writer.transaction(async (tx) => {
          expect(await tx.collection('entries').findOne({ _id: 'e1' })).toBeNull();
          expect(await tx.collection('entries').countDocuments({ _id: 'e1' })).toBe(0);
          await tx.collection('entries').insertOne({ _id: 'e1', ledger: 'a', amount: 2 });
        });
        expect(await store().collection('ledgers').find({})).toEqual([{ _id: 'a', owner: 'ada', balance: 7 }]);
        expect(await store().collection('entries').find({})).toEqual([{ _id: 'e1', ledger: 'a', amount: 2 }]);
      } finally {
        writer.close();
      }
    });

    it('writes nothing of a unit that throws, and the next unit does not see it', async () => {
      const writer = await store().exclusiveWriter(['ledgers']);
      try {
        await writer.transaction(async (tx) => tx.collection('ledgers').insertOne({ _id: 'a', balance: 1 }));
        const failure = new Error('handler failed');
        await expect(
          writer.transaction(async (tx) => {
            await tx.collection('ledgers').updateOne({ _id: 'a' }, { $set: { balance: 2 } });
            await tx.collection('ledgers').insertOne({ _id: 'b', balance: 3 });
            throw failure;
          }),
        ).rejects.toBe(failure);
        await writer.transaction(async (tx) => {
          expect(await tx.collection('ledgers').findOne({ _id: 'a' })).toEqual({ _id: 'a', balance: 1 });
          expect(await tx.collection('ledgers').findOne({ _id: 'b' })).toBeNull();
        });
      } finally {
        writer.close();
      }
    });

    it('sees what was written, dropped or renamed past it through the store', async () => {
      await store().collection('ledgers').insertOne({ _id: 'a', balance: 1 });
      const writer = await store().exclusiveWriter(['ledgers']);
      try {
        const read = () => writer.transaction(async (tx) => tx.collection('ledgers').findOne({ _id: 'a' }));
        expect(await read()).toEqual({ _id: 'a', balance: 1 });
        await store().collection('ledgers').updateOne({ _id: 'a' }, { $set: { balance: 2 } });
        expect(await read()).toEqual({ _id: 'a', balance: 2 });
        await store().transaction(async (tx) => tx.collection('ledgers').deleteOne({ _id: 'a' }));
        expect(await read()).toBeNull();
        await store().collection('ledgers').insertOne({ _id: 'a', balance: 3 });
        expect(await read()).toEqual({ _id: 'a', balance: 3 });
        await store().dropCollection('ledgers');
        expect(await read()).toBeNull();
        await store().collection('other').insertOne({ _id: 'a', balance: 4 });
        await store().transaction(async (tx) => tx.renameCollection('other', 'ledgers'));
        expect(await read()).toEqual({ _id: 'a', balance: 4 });
      } finally {
        writer.close();
      }
      // A closed writer still runs units of work.
      expect(await writer.transaction(async (tx) => tx.collection('ledgers').countDocuments())).toBe(1);
    });

    it('has the indexes it was given declared by declareIndexes at the latest, and queries by them meanwhile', async () => {
      const indexes = { entries: [{ keys: { ledger: 1 } }, { keys: { ref: 1 }, options: { unique: true } }] } as const;
      const writer = await store().exclusiveWriter(['entries'], { indexes });
      try {
        await writer.transaction(async (tx) => {
          const entries = tx.collection('entries');
          for (let n = 1; n <= 5; n++) await entries.insertOne({ _id: `e${n}`, ledger: n % 2 === 0 ? 'even' : 'odd', ref: `r${n}` });
          await expectStrataError(entries.insertOne({ _id: 'e6', ledger: 'odd', ref: 'r1' }), 'DUPLICATE_KEY', 'ref_1');
          // An index not declared yet still refuses what it could not hold.
          await expectStrataError(entries.insertOne({ _id: 'e7', ledger: ['odd'], ref: 'r7' }), 'INVALID_DOCUMENT', 'ledger');
        });
        expect(ids(await writer.transaction(async (tx) => tx.collection('entries').find({ ledger: 'odd' })))).toEqual(['e1', 'e3', 'e5']);
        await writer.declareIndexes();
        const names = (await store().collection('entries').listIndexes()).map((index) => index.name).sort();
        expect(names).toEqual(['ledger_1', 'ref_1']);
        await writer.transaction(async (tx) => tx.collection('entries').updateOne({ _id: 'e2' }, { $set: { ledger: 'odd' } }));
        expect(ids(await store().collection('entries').find({ ledger: 'odd' }))).toEqual(['e1', 'e2', 'e3', 'e5']);
      } finally {
        writer.close();
      }
    });

    it('lists the indexes it was given to its own units', async () => {
      const writer = await store().exclusiveWriter(['entries'], { indexes: { entries: [{ keys: { ledger: 1 } }] } });
      try {
        const listed = await writer.transaction(async (tx) => tx.collection('entries').listIndexes());
        expect(listed).toEqual([{ name: 'ledger_1', keys: [['ledger', 1]], unique: false }]);
      } finally {
        writer.close();
      }
    });
  });
}
