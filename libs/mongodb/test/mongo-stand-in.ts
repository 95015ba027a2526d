import { ClientSession, MongoServerError, type Db, type MongoClient } from 'mongodb';
import { Query, update as mingoUpdate } from 'mingo';

/**
 * A stand-in for the driver's client at the client boundary, modelling what a MongoDB replica
 * set does that no test here can make a real one do: a commit that succeeds and then reports
 * `UnknownTransactionCommitResult`, a server error that aborts the whole transaction, a 7.0
 * server refusing `sort` on updates. Documents live in memory; filters and updates are mingo's.
 * Only what the adapter calls is modelled.
 */

type Doc = Record<string, unknown> & { _id: unknown };
type Data = Map<string, Map<string, Doc>>;
interface Index {
  readonly name: string;
  readonly key: Record<string, 1 | -1>;
  readonly unique: boolean;
}

/** One call the adapter made, for counting round trips and reading options. */
export interface Call {
  readonly op: string;
  readonly collection: string;
  readonly options: Record<string, unknown>;
  readonly inTransaction: boolean;
}

const TXN = { none: 'NO_TRANSACTION', starting: 'STARTING_TRANSACTION', running: 'TRANSACTION_IN_PROGRESS', committed: 'TRANSACTION_COMMITTED', aborted: 'TRANSACTION_ABORTED' } as const;

const serverError = (code: number, errmsg: string, extra: Record<string, unknown> = {}): MongoServerError => new MongoServerError({ ok: 0, code, errmsg, ...extra });
const clone = <T>(value: T): T => structuredClone(value);
const key = (id: unknown): string => JSON.stringify(id);

/** The server: committed data, indexes, and the faults a test arms. */
export class StandInServer {
  readonly data: Data = new Map();
  readonly indexes = new Map<string, Index[]>();
  readonly calls: Call[] = [];
  /** The next commits to succeed on the server and then answer UnknownTransactionCommitResult. */
  unknownCommitResults = 0;
  /** The next commits to fail with TransientTransactionError, committing nothing. */
  transientCommitFailures = 0;
  /** The next `updateMany` calls in a transaction to hit a write conflict, which aborts it (TransientTransactionError). */
  transientWriteConflicts = 0;
  commits = 0;

  constructor(
    readonly version = '8.0.12',
    readonly hello: Record<string, unknown> = { setName: 'rs0', isWritablePrimary: true, maxWireVersion: 25 },
  ) {}

  client(): MongoClient {
    return new StandInClient(this) as unknown as MongoClient;
  }

  collection(name: string): Map<string, Doc> {
    let docs = this.data.get(name);
    if (!docs) this.data.set(name, (docs = new Map<string, Doc>()));
    return docs;
  }

  get major(): number {
    return Number(this.version.split('.')[0]);
  }
}

class StandInClient {
  constructor(private readonly server: StandInServer) {}
  async connect(): Promise<this> {
    return this;
  }
  async close(): Promise<void> {}
  db(name: string): Db {
    return new StandInDb(this.server, name) as unknown as Db;
  }
  startSession(): ClientSession {
    return new StandInSession(this.server) as unknown as ClientSession;
  }
}

class StandInDb {
  constructor(
    private readonly server: StandInServer,
    readonly databaseName: string,
  ) {}
  collection(name: string): StandInCollection {
    return new StandInCollection(this.server, name);
  }
  async command(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    if ('hello' in command) return { ...this.server.hello };
    if ('buildInfo' in command) return { version: this.server.version, versionArray: this.server.version.split('.').map(Number) };
    throw serverError(59, `no such command: '${Object.keys(command)[0]}'`);
  }
}

/** A session whose transaction works on a copy of the data, kept only when the commit goes through. */
class StandInSession {
  transaction: { state: string } = { state: TXN.none };
  timeoutContext = null;
  working: Data | null = null;
  /** The server error that aborted the transaction, after which every operation and the commit fail. */
  abortedBy: MongoServerError | null = null;
  private committedCopy: Data | null = null;

  constructor(private readonly server: StandInServer) {}

  startTransaction(): void {
    this.transaction = { state: TXN.starting };
    this.working = clone(this.server.data);
    this.abortedBy = null;
    this.committedCopy = null;
  }
  inTransaction(): boolean {
    return this.transaction.state === TXN.starting || this.transaction.state === TXN.running;
  }
  async commitTransaction(): Promise<void> {
    this.server.calls.push({ op: 'commitTransaction', collection: '', options: {}, inTransaction: true });
    if (this.transaction.state === TXN.committed && this.committedCopy) return; // a retried commit is answered again
    if (this.abortedBy || !this.working) throw noSuchTransaction();
    if (this.server.transientCommitFailures > 0) {
      this.server.transientCommitFailures -= 1;
      this.transaction = { state: TXN.aborted };
      throw serverError(112, 'WriteConflict during commit', { errorLabels: ['TransientTransactionError'] });
    }
    replace(this.server.data, this.working);
    this.server.commits += 1;
    this.committedCopy = this.working;
    this.transaction = { state: TXN.committed };
    if (this.server.unknownCommitResults > 0) {
      this.server.unknownCommitResults -= 1;
      // The write concern was not acknowledged in time: committed, but the client cannot know.
      throw serverError(64, 'waiting for replication timed out', { errorLabels: ['UnknownTransactionCommitResult'] });
    }
  }
  async abortTransaction(): Promise<void> {
    this.transaction = { state: TXN.aborted };
    this.working = null;
  }
  async endSession(): Promise<void> {}
  /** The client's own helper, so its retry rules are the ones under test. */
  withTransaction = ClientSession.prototype.withTransaction;

  /** The data an operation in this session sees, failing when the transaction was aborted. */
  view(): Data {
    if (!this.inTransaction()) return this.server.data;
    if (this.abortedBy) throw noSuchTransaction();
    this.transaction = { state: TXN.running };
    return this.working as Data;
  }
  /** A server error inside a transaction aborts it, as the server does. */
  fail(error: MongoServerError): never {
    if (this.inTransaction()) this.abortedBy = error;
    throw error;
  }
}

function noSuchTransaction(): MongoServerError {
  return serverError(251, 'Transaction with { txnNumber: 1 } has been aborted.', { errorLabels: ['TransientTransactionError'] });
}

function replace(target: Data, source: Data): void {
  target.clear();
  for (const [name, docs] of source) target.set(name, docs);
}

interface Options {
  session?: StandInSession;
  sort?: unknown;
  upsert?: boolean;
  limit?: number;
  skip?: number;
  projection?: Record<string, unknown>;
  [option: string]: unknown;
}

class StandInCollection {
  constructor(
    private readonly server: StandInServer,
    private readonly name: string,
  ) {}

  find(filter: Record<string, unknown>, options: Options = {}): { toArray(): Promise<Doc[]> } {
    return { toArray: async () => this.matching(filter, options, 'find').slice(options.skip ?? 0, (options.skip ?? 0) + (options.limit || Infinity)).map(clone) };
  }
  async findOne(filter: Record<string, unknown>, options: Options = {}): Promise<Doc | null> {
    return clone(this.matching(filter, options, 'findOne')[0] ?? null);
  }
  async countDocuments(filter: Record<string, unknown>, options: Options = {}): Promise<number> {
    return Math.min(this.matching(filter, options, 'countDocuments').length, options.limit || Infinity);
  }
  async insertOne(doc: Doc, options: Options = {}): Promise<{ insertedId: unknown }> {
    const docs = this.docs(options, 'insertOne');
    this.write(docs, doc, options.session);
    return { insertedId: doc._id };
  }
  async replaceOne(filter: Record<string, unknown>, replacement: Record<string, unknown>, options: Options = {}): Promise<UpdateAnswer> {
    this.refuseSortBefore8(options, 'update');
    return this.modify(filter, options, 'replaceOne', (current) => {
      if (current && replacement['_id'] !== undefined && key(replacement['_id']) !== key(current._id)) {
        options.session?.fail(serverError(66, "After applying the update, the (immutable) field '_id' was found to have been altered"));
      }
      return { ...replacement, _id: current?._id ?? replacement['_id'] ?? seedId(filter) ?? 'ObjectId' };
    });
  }
  async updateOne(filter: Record<string, unknown>, update: Record<string, unknown>, options: Options = {}): Promise<UpdateAnswer> {
    this.refuseSortBefore8(options, 'update');
    return this.modify(filter, options, 'updateOne', (current) => applied(current ?? ({ _id: seedId(filter) ?? 'ObjectId' }), update, current === null, options.session));
  }
  async updateMany(filter: Record<string, unknown>, update: Record<string, unknown>, options: Options = {}): Promise<UpdateAnswer> {
    const docs = this.docs(options, 'updateMany');
    if (options.session?.inTransaction() && this.server.transientWriteConflicts > 0) {
      this.server.transientWriteConflicts -= 1;
      options.session.fail(serverError(112, 'WriteConflict error: this operation conflicted with another operation.', { errorLabels: ['TransientTransactionError'] }));
    }
    const matches = this.matching(filter, options, null);
    for (const current of matches) this.write(docs, applied(current, update, false, options.session), options.session, current._id);
    return { matchedCount: matches.length, modifiedCount: matches.length, upsertedId: null };
  }
  async findOneAndDelete(filter: Record<string, unknown>, options: Options = {}): Promise<Doc | null> {
    const docs = this.docs(options, 'findOneAndDelete');
    const [first] = this.matching(filter, options, null);
    if (first) docs.delete(key(first._id));
    return first ?? null;
  }
  async deleteMany(filter: Record<string, unknown>, options: Options = {}): Promise<{ deletedCount: number }> {
    const docs = this.docs(options, 'deleteMany');
    const matches = this.matching(filter, options, null);
    for (const doc of matches) docs.delete(key(doc._id));
    return { deletedCount: matches.length };
  }
  async bulkWrite(operations: { updateOne: { filter: Record<string, unknown>; update: Record<string, unknown>; upsert?: boolean } }[], options: Options = {}): Promise<void> {
    this.record('bulkWrite', options);
    for (const { updateOne } of operations) await this.modify(updateOne.filter, { ...options, upsert: updateOne.upsert }, null, (current) => applied(current ?? ({ _id: seedId(updateOne.filter) }), updateOne.update, current === null));
  }
  async createIndex(keys: Record<string, 1 | -1>, options: Options & { name: string; unique?: boolean }): Promise<string> {
    this.record('createIndex', options);
    const indexes = this.server.indexes.get(this.name) ?? [];
    indexes.push({ name: options.name, key: keys, unique: options.unique === true });
    this.server.indexes.set(this.name, indexes);
    return options.name;
  }
  listIndexes(): { toArray(): Promise<Index[]> } {
    return { toArray: async () => [{ name: '_id_', key: { _id: 1 }, unique: false }, ...(this.server.indexes.get(this.name) ?? [])] };
  }

  private record(op: string, options: Options): void {
    const { session, ...rest } = options;
    this.server.calls.push({ op, collection: this.name, options: rest, inTransaction: session?.inTransaction() ?? false });
  }
  private docs(options: Options, op: string | null): Map<string, Doc> {
    if (op) this.record(op, options);
    const data = options.session ? options.session.view() : this.server.data;
    let docs = data.get(this.name);
    if (!docs) data.set(this.name, (docs = new Map<string, Doc>()));
    return docs;
  }
  private matching(filter: Record<string, unknown>, options: Options, op: string | null): Doc[] {
    const query = new Query(filter);
    const all = [...this.docs(options, op).values()].filter((doc) => query.test(doc));
    const sort = (options.sort ?? { _id: 1 }) as Record<string, 1 | -1>;
    return new Query({}).find<Doc>(all).sort(sort).all();
  }
  private refuseSortBefore8(options: Options, command: string): void {
    if (options.sort !== undefined && this.server.major < 8) {
      options.session?.fail(serverError(40415, `BSON field '${command}.updates.sort' is an unknown field.`));
      throw serverError(40415, `BSON field '${command}.updates.sort' is an unknown field.`);
    }
  }
  private async modify(filter: Record<string, unknown>, options: Options, op: string | null, next: (current: Doc | null) => Doc): Promise<UpdateAnswer> {
    const docs = this.docs(options, op);
    const [current] = this.matching(filter, options, null);
    if (!current && options.upsert !== true) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
    const doc = next(current ? clone(current) : null);
    this.write(docs, doc, options.session, current?._id);
    return current ? { matchedCount: 1, modifiedCount: 1, upsertedId: null } : { matchedCount: 0, modifiedCount: 0, upsertedId: doc._id };
  }
  /** Stores `doc`, enforcing `_id` and unique indexes as the server does (in a transaction, a refusal aborts it). */
  private write(docs: Map<string, Doc>, doc: Doc, session: StandInSession | undefined, replacing?: unknown): void {
    const fail = (error: MongoServerError): never => (session ? session.fail(error) : (() => { throw error; })());
    if (replacing === undefined && docs.has(key(doc._id))) {
      fail(serverError(11000, `E11000 duplicate key error collection: db.${this.name} index: _id_ dup key: { _id: ${key(doc._id)} }`, { keyValue: { _id: doc._id } }));
    }
    for (const index of (this.server.indexes.get(this.name) ?? []).filter((candidate) => candidate.unique)) {
      const values = Object.keys(index.key).map((path) => doc[path] ?? null);
      const clash = [...docs.values()].find(
        (other) => key(other._id) !== key(replacing ?? doc._id) && Object.keys(index.key).every((path, i) => key(other[path] ?? null) === key(values[i])),
      );
      if (clash) {
        const keyValue = Object.fromEntries(Object.keys(index.key).map((path, i) => [path, values[i]]));
        fail(serverError(11000, `E11000 duplicate key error collection: db.${this.name} index: ${index.name} dup key: ${JSON.stringify(keyValue)}`, { keyValue }));
      }
    }
    if (replacing !== undefined) docs.delete(key(replacing));
    docs.set(key(doc._id), clone(doc));
  }
}

interface UpdateAnswer {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: unknown;
}

function seedId(filter: Record<string, unknown>): unknown {
  const id = filter['_id'];
  return typeof id === 'string' ? id : undefined;
}

/** The document after an update; one the server cannot apply is refused (TypeMismatch), aborting a transaction. */
function applied(current: Doc, update: Record<string, unknown>, inserting: boolean, session?: StandInSession): Doc {
  const { $setOnInsert, ...operators } = update as Record<string, Record<string, unknown>>;
  const doc = clone(current);
  const modifier = inserting && $setOnInsert ? { ...operators, $set: { ...operators['$set'], ...$setOnInsert } } : operators;
  for (const [path, amount] of Object.entries(operators['$inc'] ?? {})) {
    if (doc[path] !== undefined && typeof doc[path] !== 'number') {
      const error = serverError(14, `Cannot apply $inc to a value of non-numeric type. {_id: ${key(doc._id)}} has the field '${path}' of non-numeric type string`);
      if (session) session.fail(error);
      throw error;
    }
    void amount;
  }
  if (Object.keys(modifier).length > 0) mingoUpdate(doc, modifier as never);
  return doc;
}
