import type { Db } from 'mongodb';
import { type IndexDescription, ID_INDEX } from '@strata/core/adapter';
import { codeOf, MONGO_CODES } from './mongo-errors';

/** An index as `listIndexes` describes it (the fields Strata reads). */
interface ListedIndex {
  readonly name: string;
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly unique?: boolean;
}

/**
 * The secondary indexes of each collection, as MongoDB lists them, cached per store because
 * every insert checks indexed paths against them. This process's own index changes refresh
 * it; `listIndexes` cannot run inside a transaction, which is another reason to cache.
 */
export class IndexCatalog {
  private readonly cache = new Map<string, Promise<IndexDescription[]>>();

  constructor(private readonly db: Db) {}

  get(collection: string): Promise<IndexDescription[]> {
    let indexes = this.cache.get(collection);
    if (!indexes) {
      indexes = this.load(collection);
      this.cache.set(collection, indexes);
      indexes.catch(() => this.cache.delete(collection));
    }
    return indexes;
  }

  forget(...collections: string[]): void {
    for (const collection of collections) this.cache.delete(collection);
  }

  private async load(collection: string): Promise<IndexDescription[]> {
    try {
      const listed: readonly ListedIndex[] = await this.db.collection(collection).listIndexes().toArray();
      return listed
        .filter((index) => index.name !== ID_INDEX)
        .map((index) => ({ name: index.name, keys: Object.entries(index.key), unique: index.unique === true }));
    } catch (error) {
      if (codeOf(error) === MONGO_CODES.namespaceNotFound) return [];
      throw error;
    }
  }
}
