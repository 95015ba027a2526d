import { DocumentStore } from './document-store';
import { InMemoryDocumentStore } from './in-memory-document-store';

describe('DocumentStore.exclusiveWriter, as a store without its own', () => {
  it('declares the indexes at once and runs plain units of work', async () => {
    const store = new InMemoryDocumentStore();
    const writer = await DocumentStore.prototype.exclusiveWriter.call(store, ['entries'], { indexes: { entries: [{ keys: { ledger: 1 } }] } });
    expect(await store.collection('entries').listIndexes()).toEqual([{ name: 'ledger_1', keys: [['ledger', 1]], unique: false }]);
    await writer.transaction(async (tx) => tx.collection('entries').insertOne({ _id: 'e1', ledger: 'a' }));
    await writer.declareIndexes();
    writer.close();
    expect(await store.collection('entries').find({ ledger: 'a' })).toEqual([{ _id: 'e1', ledger: 'a' }]);
  });
});

describe('BackendDocumentStore', () => {
  it('reads a -0 it has not committed yet as JSON would give it back, 0', async () => {
    const store = new InMemoryDocumentStore();
    const read = await store.transaction(async (tx) => {
      await tx.collection('items').insertOne({ _id: 'x', n: -0 });
      return tx.collection('items').findOne({ _id: 'x' });
    });
    expect(Object.is(read?.['n'], 0)).toBe(true);
  });
});
