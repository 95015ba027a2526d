import { StrataError, type Filter, type Position } from '@strata/core';
import { DuplicateKeyError, type IndexDescription, ID_INDEX, indexKeyOf, parseJsonDocument, type DocumentBackend, type DocumentVisitor } from '@strata/core/adapter';
import type { Statement, Transaction } from 'better-sqlite3';
import { isSqliteError, migrate, type SqliteDatabase } from '../sqlite-database';
import { sqliteFault } from '../sqlite-faults';
import { DOCUMENT_STORE_MIGRATIONS, TABLE_PREFIX, createIndexSql, createTableSql, tableName } from './document-schema';
import { SqliteIndexCatalog, toIndex } from './sqlite-index-catalog';
import { prefilter } from './sql-prefilter';
import { BackgroundCheckpointer } from './background-checkpointer';

/** Prepared statements kept per SQL text; past this many the cache starts over. */
const STATEMENT_CACHE_SIZE = 256;
/**
 * The most rows one INSERT statement carries. Batches go in chunks of powers of two up to
 * this, so a collection needs at most seven insert statements, each prepared once.
 */
const MAX_INSERT_ROWS = 64;
/** How long exclusive writers commit here before checkpoints move to a worker thread: a short load is not worth a thread. */
const BACKGROUND_CHECKPOINTS_AFTER_MS = 1_000;

/**
 * Documents as JSON text in SQLite, one table per collection (`id`, `doc`), declared indexes
 * as expression indexes on that table. A table per collection keeps every index a plain
 * expression index: partial indexes over one shared table would need the collection name
 * inlined as a literal in every query before SQLite would use them.
 */
export class SqliteDocumentBackend implements DocumentBackend {
  private readonly statements = new Map<string, Statement>();
  /** Collection tables known to exist; emptied whenever this connection drops or renames one. */
  private readonly tables = new Set<string>();
  /** Tables created by the open transaction, known to exist only once it commits. */
  private pendingTables: Set<string> | null = null;
  /** Whether the open transaction dropped or renamed a table, which makes `tables` stale either way it ends. */
  private tablesChanged = false;
  /** Open exclusive writers: how many, since when, and the checkpointer started for them (null: none yet, or none possible). */
  private readonly catalog: SqliteIndexCatalog;
  /** Every write transaction, wrapped once: wrapping a function per unit of work shows in the profile. */
  private readonly writeTransaction: Transaction<(work: () => unknown) => unknown>;
  private bulk: { writers: number; since: number; checkpointer: BackgroundCheckpointer | null; started: boolean } | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly ownsDatabase: boolean,
  ) {
    migrate(db, 'documents', DOCUMENT_STORE_MIGRATIONS);
    this.catalog = new SqliteIndexCatalog(db, (sql) => this.statement(sql));
    this.writeTransaction = db.transaction((work) => {
      this.catalog.checkSchemaVersion();
      return work();
    });
  }

  beginUnit(): void {
    this.catalog.checkSchemaVersion();
  }

  scan(collection: string, filter: Filter, visit: DocumentVisitor): void {
    if (!this.hasTable(collection)) return;
    const { sql, parameters } = this.candidateQuery(collection, filter);
    const rows = this.unlessDropped(collection, () => this.statement(sql).iterate(...parameters) as IterableIterator<{ id: string; doc: string }>);
    for (const row of rows ?? []) visit(row.id, row.doc);
  }

  /** SQLite's plan for the candidate query of a filter, one line per step. */
  explain(collection: string, filter: Filter): string[] {
    this.catalog.checkSchemaVersion();
    if (!this.hasTable(collection)) return [];
    const { sql, parameters } = this.candidateQuery(collection, filter);
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[];
    return rows.map((row) => row.detail);
  }

  get(collection: string, id: string): string | undefined {
    if (!this.hasTable(collection)) return undefined;
    return this.unlessDropped(collection, () => this.statement(`SELECT doc FROM ${tableName(collection)} WHERE id = ?`).pluck().get(id) as string | undefined);
  }

  indexes(collection: string): readonly IndexDescription[] {
    return this.catalog.indexes(collection);
  }

  getCheckpoint(name: string): Position | undefined {
    return this.statement('SELECT position FROM strata_checkpoints WHERE name = ?').pluck().get(name) as Position | undefined;
  }

  atomically<R>(work: () => R): R {
    if (this.bulk && !this.bulk.started && performance.now() - this.bulk.since >= BACKGROUND_CHECKPOINTS_AFTER_MS) {
      this.bulk.started = true;
      this.bulk.checkpointer = BackgroundCheckpointer.start(this.db);
    }
    // IMMEDIATE takes the write lock up front, so the commit's conflict checks and its
    // writes see one consistent state even with other processes on the same file.
    return this.inTransaction(work);
  }

  /** A bulk writer that keeps committing for a while gets its checkpoints taken on a worker thread (`BackgroundCheckpointer`). */
  exclusiveWriterOpened(): () => void {
    this.bulk ??= { writers: 0, since: performance.now(), checkpointer: null, started: false };
    this.bulk.writers += 1;
    let open = true;
    return () => {
      if (!open || !this.bulk) return;
      open = false;
      this.bulk.writers -= 1;
      if (this.bulk.writers > 0) return;
      this.bulk.checkpointer?.stop();
      this.bulk = null;
    };
  }

  insert(collection: string, id: string, json: string): void {
    this.ensureTable(collection);
    const insert = (): unknown => this.statement(`INSERT INTO ${tableName(collection)} (id, doc) VALUES (?, ?)`).run(id, json);
    try {
      if (this.unlessDropped(collection, insert) === undefined) {
        this.ensureTable(collection);
        insert();
      }
    } catch (error) {
      throw this.translate(error, collection, id, json);
    }
  }

  insertMany(collection: string, documents: readonly (readonly [id: string, json: string])[]): void {
    let at = 0;
    while (at < documents.length) {
      let rows = MAX_INSERT_ROWS;
      while (rows > documents.length - at) rows /= 2;
      const chunk = documents.slice(at, at + rows);
      at += rows;
      if (rows === 1 || !this.tryInsertChunk(collection, chunk)) {
        // One by one, so a constraint failure names the document that broke it.
        for (const [id, json] of chunk) this.insert(collection, id, json);
      }
    }
  }

  replace(collection: string, id: string, expected: string, json: string): boolean {
    if (!this.hasTable(collection)) return false;
    const result = this.unlessDropped(collection, () => this.statement(`UPDATE ${tableName(collection)} SET doc = ? WHERE id = ? AND doc = ?`).run(json, id, expected));
    return result?.changes === 1;
  }

  remove(collection: string, id: string, expected: string): boolean {
    if (!this.hasTable(collection)) return false;
    const result = this.unlessDropped(collection, () => this.statement(`DELETE FROM ${tableName(collection)} WHERE id = ? AND doc = ?`).run(id, expected));
    return result?.changes === 1;
  }

  setCheckpoint(name: string, position: Position): void {
    this.statement(
      'INSERT INTO strata_checkpoints (name, position, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    ).run(name, position, Date.now());
  }

  deleteCheckpoint(name: string): boolean {
    return this.statement('DELETE FROM strata_checkpoints WHERE name = ?').run(name).changes === 1;
  }

  addIndex(collection: string, index: IndexDescription): void {
    const declare = (): void => {
      // Re-checked under the write lock: another process may have declared it meanwhile.
      const existing = this.indexes(collection).find((other) => other.name === index.name);
      if (existing) {
        if (JSON.stringify(existing) === JSON.stringify(index)) return;
        throw new StrataError('INDEX_CONFLICT', `Collection '${collection}' already has an index named '${index.name}' with other keys or options.`);
      }
      this.ensureTable(collection);
      const sqlName = this.catalog.freeName(collection, index.name);
      this.catalog.declare(collection, index, sqlName, createIndexSql(collection, index, sqlName));
    };
    try {
      this.inTransaction(declare);
    } catch (error) {
      if (isSqliteError(error) && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DuplicateKeyError(collection, index.name, {});
      }
      throw error;
    }
  }

  collections(): readonly string[] {
    const tables = this.statement(`SELECT substr(name, ${TABLE_PREFIX.length + 1}) FROM sqlite_master WHERE type = 'table' AND name LIKE '${TABLE_PREFIX}%'`)
      .pluck()
      .all() as string[];
    return tables.filter((collection) => this.holdsAnything(collection));
  }

  drop(collection: string): boolean {
    const existed = this.hasTable(collection) && this.holdsAnything(collection);
    this.forget(collection);
    // Dropping the table drops its SQLite indexes too.
    this.db.exec(`DROP TABLE IF EXISTS ${tableName(collection)}`);
    this.statement('DELETE FROM strata_document_indexes WHERE collection = ?').run(collection);
    return existed;
  }

  rename(from: string, to: string): void {
    this.drop(to);
    if (!this.hasTable(from)) return;
    this.forget(from);
    this.db.exec(`ALTER TABLE ${tableName(from)} RENAME TO ${tableName(to)}`);
    // The SQLite indexes move with the table under their old names, which `sql_name` keeps.
    this.statement('UPDATE strata_document_indexes SET collection = ? WHERE collection = ?').run(to, from);
  }

  close(): void {
    this.bulk?.checkpointer?.stop();
    this.bulk = null;
    this.statements.clear();
    if (this.ownsDatabase) this.db.close();
  }

  private candidateQuery(collection: string, filter: Filter): { sql: string; parameters: readonly unknown[] } {
    const { conditions, parameters } = prefilter(filter, this.indexes(collection));
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    return { sql: `SELECT id, doc FROM ${tableName(collection)}${where}`, parameters };
  }

  /** Maps SQLite's constraint errors to the DuplicateKeyError core raises for the same case. */
  private translate(error: unknown, collection: string, id: string, json: string): unknown {
    if (!isSqliteError(error)) return error;
    const fault = sqliteFault(error, this.db.name);
    if (fault) return fault;
    if (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new DuplicateKeyError(collection, ID_INDEX, { _id: id });
    if (error.code !== 'SQLITE_CONSTRAINT_UNIQUE') return error;
    const row = this.catalog.rows(collection).find((candidate) => error.message.includes(`'${candidate.sql_name}'`));
    if (!row) return error;
    const index = toIndex(row);
    const values = indexKeyOf(parseJsonDocument(json), index, collection);
    return new DuplicateKeyError(collection, index.name, Object.fromEntries(index.keys.map(([path], at) => [path, values[at] ?? null])));
  }

  /** Inserts rows with one statement; false (with nothing inserted) when any of them failed. */
  private tryInsertChunk(collection: string, chunk: readonly (readonly [id: string, json: string])[]): boolean {
    this.ensureTable(collection);
    const sql = `INSERT INTO ${tableName(collection)} (id, doc) VALUES ${Array.from(chunk, () => '(?, ?)').join(', ')}`;
    try {
      return this.unlessDropped(collection, () => this.statement(sql).run(chunk.flat())) !== undefined;
    } catch (error) {
      // A constraint failure undoes the statement only, so the rows can be retried one by one;
      // anything else may have ended the transaction, and must end the commit.
      if (isSqliteError(error) && error.code.startsWith('SQLITE_CONSTRAINT')) return false;
      throw error;
    }
  }

  private holdsAnything(collection: string): boolean {
    return this.catalog.rows(collection).length > 0 || this.statement(`SELECT 1 FROM ${tableName(collection)} LIMIT 1`).get() !== undefined;
  }

  /** Drops a table from the cache; the whole cache is cleared when the transaction ends, as it may roll back. */
  private forget(collection: string): void {
    this.tables.delete(collection);
    this.pendingTables?.delete(collection);
    this.tablesChanged = true;
    this.catalog.invalidate();
  }

  /**
   * Runs a statement on a collection's table; when another connection dropped the table since
   * this one cached it, forgets the cache and answers undefined, as for a missing table.
   */
  private unlessDropped<R>(collection: string, run: () => R): R | undefined {
    try {
      return run();
    } catch (error) {
      if (!isSqliteError(error) || !error.message.includes(`no such table: ${TABLE_PREFIX}${collection}`)) throw error;
      this.tables.delete(collection);
      this.pendingTables?.delete(collection);
      return undefined;
    }
  }

  private hasTable(collection: string): boolean {
    if (this.tables.has(collection) || this.pendingTables?.has(collection)) return true;
    const found = this.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`${TABLE_PREFIX}${collection}`) !== undefined;
    // Inside a transaction the table may be this transaction's own, gone again on rollback.
    if (found) (this.pendingTables ?? this.tables).add(collection);
    return found;
  }

  private ensureTable(collection: string): void {
    if (this.tables.has(collection) || this.pendingTables?.has(collection)) return;
    this.db.exec(createTableSql(collection));
    (this.pendingTables ?? this.tables).add(collection);
  }

  /** Runs `work` in an IMMEDIATE transaction, remembering the tables it created only if it commits. */
  private inTransaction<R>(work: () => R): R {
    this.pendingTables = new Set();
    this.tablesChanged = false;
    try {
      const result = this.writeTransaction.immediate(work) as R;
      for (const table of this.pendingTables) this.tables.add(table);
      return result;
    } catch (error) {
      // A rolled-back schema change takes the schema version back with it.
      this.catalog.invalidate();
      // A full disk or a damaged page is named, so readiness and the client can tell.
      throw sqliteFault(error, this.db.name) ?? error;
    } finally {
      this.pendingTables = null;
      if (this.tablesChanged) this.tables.clear();
      this.tablesChanged = false;
    }
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
