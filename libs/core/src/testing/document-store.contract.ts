import type { DocumentStore } from '../documents/document-store';
import { describeCollectionsContract } from '../documents/contract/collections.contract';
import type { ContractContext } from '../documents/contract/contract-context';
import { describeCrudContract } from '../documents/contract/crud.contract';
import { describeExclusiveWriterContract } from '../documents/contract/exclusive-writer.contract';
import { describeIndexContract } from '../documents/contract/index.contract';
import { describeQueryContract } from '../documents/contract/query.contract';
import { describeUnitOfWorkContract } from '../documents/contract/unit-of-work.contract';
import { describeUpdateContract } from '../documents/contract/update.contract';

/** Makes a fresh, empty document store for one test. */
export type DocumentStoreFactory = () => Promise<DocumentStore>;

/** The guarantees every `DocumentStore` adapter must give; run it once per adapter. */
export function describeDocumentStoreContract(name: string, factory: DocumentStoreFactory): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore | undefined;
    const context: ContractContext = {
      store: () => {
        if (!store) throw new Error('The document store factory has not run yet.');
        return store;
      },
    };

    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    describeCrudContract(context);
    describeQueryContract(context);
    describeUpdateContract(context);
    describeIndexContract(context);
    describeUnitOfWorkContract(context);
    describeCollectionsContract(context);
    describeExclusiveWriterContract(context);
  });
}
