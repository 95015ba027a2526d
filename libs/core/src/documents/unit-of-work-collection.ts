import { idOnly, type CollectionOperations } from './collection-operations';
import { DocumentCollection } from './document-store';
import type {
  BaseDocument,
  DeleteResult,
  Filter,
  FindOneOptions,
  FindOptions,
  IndexDescription,
  IndexKeys,
  IndexOptions,
  InsertOneResult,
  OptionalId,
  UpdateFilter,
  UpdateResult,
  UpsertOptions,
} from './document-types';

const FIRST_ONLY: FindOptions = { limit: 1 };

/**
 * Runs one synchronous operation: inside an open unit of work, or in a fresh one it commits.
 * A runner over a remote backend may answer later (`RemoteDocumentStore` fetches what the
 * operation needs, then runs it again).
 */
export type OperationRunner = <R>(operation: (operations: CollectionOperations) => R) => R | Promise<R>;

/** The `DocumentCollection` of `BackendDocumentStore`; the runner decides which unit of work it writes to. */
export class UnitOfWorkCollection<T extends BaseDocument> extends DocumentCollection<T> {
  constructor(private readonly run: OperationRunner) {
    super();
  }

  override async findOne<R extends object = T>(filter?: Filter<T>, options?: FindOneOptions): Promise<R | null> {
    const id = options === undefined ? idOnly(filter) : undefined;
    if (id !== undefined) return (await this.run((operations) => operations.findById(id))) as R | null;
    const found = await this.run((operations) => operations.find(filter, options === undefined ? FIRST_ONLY : { ...options, limit: 1 }));
    return (found[0] ?? null) as R | null;
  }

  override async find<R extends object = T>(filter?: Filter<T>, options?: FindOptions): Promise<R[]> {
    return (await this.run((operations) => operations.find(filter, options))) as R[];
  }

  override async countDocuments(filter?: Filter<T>): Promise<number> {
    return this.run((operations) => operations.count(filter));
  }

  override async insertOne(document: OptionalId<T>): Promise<InsertOneResult> {
    return { insertedId: await this.run((operations) => operations.insertOne(document)) };
  }

  override async replaceOne(filter: Filter<T>, replacement: OptionalId<T>, options?: UpsertOptions): Promise<UpdateResult> {
    return this.run((operations) => operations.replaceOne(filter, replacement, options));
  }

  override async updateOne(filter: Filter<T>, update: UpdateFilter, options?: UpsertOptions): Promise<UpdateResult> {
    return this.run((operations) => operations.update(filter, update, options, false));
  }

  override async updateMany(filter: Filter<T>, update: UpdateFilter, options?: UpsertOptions): Promise<UpdateResult> {
    return this.run((operations) => operations.update(filter, update, options, true));
  }

  override async deleteOne(filter: Filter<T>): Promise<DeleteResult> {
    return { deletedCount: await this.run((operations) => operations.delete(filter, false)) };
  }

  override async deleteMany(filter: Filter<T>): Promise<DeleteResult> {
    return { deletedCount: await this.run((operations) => operations.delete(filter, true)) };
  }

  override async createIndex(keys: IndexKeys, options?: IndexOptions): Promise<string> {
    return this.run((operations) => operations.createIndex(keys, options));
  }

  override async listIndexes(): Promise<IndexDescription[]> {
    return this.run((operations) => operations.listIndexes());
  }
}
