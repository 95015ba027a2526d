import {
  DuplicateKeyError,
  ID_INDEX,
  StrataError,
  indexKeyOf,
  parseJsonDocument,
  type DocumentBackend,
  type DocumentVisitor,
  type Filter,
  type IndexDescription,
  type Position,
} from '@strata/core';
import type { Statement } from 'better-sqlite3';
import { migrate, type SqliteDatabase } from '../sqlite-database';
import {
  DOCUMENT_STORE_MIGRATIONS,
  createIndexSql,
  createTableSql,
  indexNameInErrors,
  tableName,
} from './document-schema';
import { prefilter } from './sql-prefilter';

/** Prepared statements kept per SQL text; past this many the cache starts over. */
const STATEMENT_CACHE_SIZE = 256;

interface IndexRow {
  readonly name: string;
  readonly keys: string;
  readonly is_unique: number;
}

/**
 * Documents as JSON text in SQLite, one table per collection (`id`, `doc`), declared indexes
 * as expression indexes on that table. A table per collection keeps every index a plain
 * expression index: partial indexes over one shared table would need the collection name
 * inlined as a literal in every query before SQLite would use them.
 */
export class SqliteDocumentBackend implements DocumentBackend {
  private readonly statements = new Map<string, Statement>();
  /** Collection tables known to exist; never shrinks, since tables are never dropped. */
  private readonly tables = new Set<string>();
  /** Tables created by the open transaction, known to exist only once it commits. */
  private pendingTables: Set<string> | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly ownsDatabase: boolean,
  ) {
    migrate(db, 'documents', DOCUMENT_STORE_MIGRATIONS);
  }

  scan(collection: string, filter: Filter, visit: DocumentVisitor): void {
    if (!this.hasTable(collection)) return;
    const { sql, parameters } = this.candidateQuery(collection, filter);
    for (const row of this.statement(sql).iterate(...parameters) as IterableIterator<{ id: string; doc: string }>) {
      visit(row.id, row.doc);
    }
  }

  /** SQLite's plan for the candidate query of a filter, one line per step. */
  explain(collection: string, filter: Filter): string[] {
    if (!this.hasTable(collection)) return [];
    const { sql, parameters } = this.candidateQuery(collection, filter);
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[];
    return rows.map((row) => row.detail);
  }

  get(collection: string, id: string): string | undefined {
    if (!this.hasTable(collection)) return undefined;
    return this.statement(`SELECT doc FROM ${tableName(collection)} WHERE id = ?`).pluck().get(id) as string | undefined;
  }

  indexes(collection: string): readonly IndexDescription[] {
    const rows = this.statement('SELECT name, keys, is_unique FROM strata_document_indexes WHERE collection = ? ORDER BY rowid').all(
      collection,
    ) as IndexRow[];
    return rows.map(toIndex);
  }

  getCheckpoint(name: string): Position | undefined {
    return this.statement('SELECT position FROM strata_checkpoints WHERE name = ?').pluck().get(name) as Position | undefined;
  }

  atomically<R>(work: () => R): R {
    // IMMEDIATE takes the write lock up front, so the commit's conflict checks and its
    // writes see one consistent state even with other processes on the same file.
    return this.inTransaction(work);
  }

  insert(collection: string, id: string, json: string): void {
    this.ensureTable(collection);
    try {
      this.statement(`INSERT INTO ${tableName(collection)} (id, doc) VALUES (?, ?)`).run(id, json);
    } catch (error) {
      throw this.translate(error, collection, id, json);
    }
  }

  remove(collection: string, id: string): void {
    if (!this.hasTable(collection)) return;
    this.statement(`DELETE FROM ${tableName(collection)} WHERE id = ?`).run(id);
  }

  setCheckpoint(name: string, position: Position): void {
    this.statement(
      'INSERT INTO strata_checkpoints (name, position, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    ).run(name, position, Date.now());
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
      this.db
        .prepare('INSERT INTO strata_document_indexes (collection, name, keys, is_unique) VALUES (?, ?, ?, ?)')
        .run(collection, index.name, JSON.stringify(index.keys), index.unique ? 1 : 0);
      this.db.exec(createIndexSql(collection, index));
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

  close(): void {
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
    if (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new DuplicateKeyError(collection, ID_INDEX, { _id: id });
    if (error.code !== 'SQLITE_CONSTRAINT_UNIQUE') return error;
    const index = this.indexes(collection).find((candidate) => error.message.includes(`'${indexNameInErrors(collection, candidate.name)}'`));
    if (!index) return error;
    const values = indexKeyOf(parseJsonDocument(json), index, collection);
    return new DuplicateKeyError(collection, index.name, Object.fromEntries(index.keys.map(([path], at) => [path, values[at] ?? null])));
  }

  private hasTable(collection: string): boolean {
    if (this.tables.has(collection) || this.pendingTables?.has(collection)) return true;
    const found = this.statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`strata_doc/${collection}`) !== undefined;
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
    try {
      const result = this.db.transaction(work).immediate();
      for (const table of this.pendingTables) this.tables.add(table);
      return result;
    } finally {
      this.pendingTables = null;
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

function toIndex(row: IndexRow): IndexDescription {
  return { name: row.name, keys: JSON.parse(row.keys) as IndexDescription['keys'], unique: row.is_unique === 1 };
}

/**
 * Recognises the driver's errors by their code alone. The native addon keeps the error class
 * of whichever module instance loaded it first, so when a host reloads modules (jest does, per
 * test file) neither `instanceof SqliteError` nor `instanceof Error` can be trusted.
 */
function isSqliteError(error: unknown): error is Error & { code: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_') && typeof message === 'string';
}
