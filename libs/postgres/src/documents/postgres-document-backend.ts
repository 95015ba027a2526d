import { randomBytes } from 'node:crypto';
import { StrataError, type Filter, type Position } from '@strata/core';
import { DuplicateKeyError, WriteConflictError, type IndexDescription, ID_INDEX, StaleCollectionError, indexKeyOf, keyObject, parseJsonDocument, type CollectionInfo, type CollectionWrites, type DocumentBatch, type RemoteDocumentBackend } from '@strata/core/adapter';
import { escapeLiteral, type PoolClient } from 'pg';
import { isPostgresError, unavailableError, type PostgresServerError } from '../postgres-errors';
import type { PostgresDatabase } from '../postgres-database';
import { createIndexSql, createTableSql, indexSqlName, qualifiedTable, tableNameOf } from './document-schema';
import { prefilter } from './postgres-prefilter';

interface IndexRow {
  readonly name: string;
  readonly keys: [string, 1 | -1][];
  readonly unique: boolean;
}

/**
 * Documents as jsonb, one table per collection (`id text PRIMARY KEY, doc jsonb`), declared
 * indexes as expression indexes on it, and a catalog of collections and indexes. DDL (new
 * tables, indexes, renames, drops) takes a per-schema advisory lock, so instances never race
 * each other's schema changes; a rename is `ALTER TABLE … RENAME` inside the commit's transaction.
 */
export class PostgresDocumentBackend implements RemoteDocumentBackend {
  /**
   * Tables seen to exist: queried directly. Others are looked up first, because a query on a
   * missing table costs the server an error (logged) and is several times slower than a lookup.
   */
  private readonly knownTables = new Set<string>();

  constructor(private readonly db: PostgresDatabase) {}

  private get s(): string {
    return this.db.schema;
  }

  async fetchDocument(collection: string, id: string): Promise<string | undefined | null> {
    return this.guard('read a document', async () => {
      if (!(await this.tableExists(collection))) return null;
      try {
        const { rows } = await this.db.pool.query<{ doc: unknown }>(`SELECT doc FROM ${qualifiedTable(this.s, collection)} WHERE id = $1`, [id]);
        return rows[0] === undefined ? undefined : JSON.stringify(rows[0].doc);
      } catch (error) {
        if (isMissingTable(error)) {
          this.knownTables.delete(collection);
          return null;
        }
        throw error;
      }
    });
  }

  async fetchCollection(collection: string): Promise<CollectionInfo> {
    return this.guard('read a collection', async () => {
      const { rows } = await this.db.pool.query<{ exists: boolean; indexes: IndexRow[] }>(
        `SELECT to_regclass($1) IS NOT NULL AS exists,
                coalesce((SELECT json_agg(json_build_object('name', name, 'keys', keys, 'unique', is_unique) ORDER BY seq)
                            FROM ${this.s}.strata_document_indexes WHERE collection = $2), '[]') AS indexes`,
        [qualifiedTable(this.s, collection), collection],
      );
      const row = rows[0];
      if (row?.exists) this.knownTables.add(collection);
      else this.knownTables.delete(collection);
      return { exists: row?.exists ?? false, indexes: (row?.indexes ?? []).map((index) => ({ name: index.name, keys: index.keys, unique: index.unique })) };
    });
  }

  async fetchCandidates(collection: string, filter: Filter, indexes: readonly IndexDescription[]): Promise<(readonly [string, string])[]> {
    const { conditions, parameters } = prefilter(filter, indexes);
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    return this.guard('query a collection', async () => {
      try {
        const { rows } = await this.db.pool.query<{ id: string; doc: unknown }>(`SELECT id, doc FROM ${qualifiedTable(this.s, collection)}${where}`, [...parameters]);
        return rows.map((row) => [row.id, JSON.stringify(row.doc)] as const);
      } catch (error) {
        if (isMissingTable(error)) {
          this.knownTables.delete(collection);
          return [];
        }
        throw error;
      }
    });
  }

  async fetchCheckpoint(name: string): Promise<Position | undefined> {
    const { rows } = await this.guard('read a checkpoint', () =>
      this.db.pool.query<{ position: Position }>(`SELECT position FROM ${this.s}.strata_checkpoints WHERE name = $1`, [name]),
    );
    return rows[0]?.position;
  }

  async deleteCheckpoint(name: string): Promise<boolean> {
    const { rowCount } = await this.guard('delete a checkpoint', () => this.db.pool.query(`DELETE FROM ${this.s}.strata_checkpoints WHERE name = $1`, [name]));
    return rowCount === 1;
  }

  async declareIndex(collection: string, index: IndexDescription): Promise<void> {
    await this.guard('declare an index', () =>
      this.db.transaction(async (client) => {
        await this.lockCatalog(client);
        const { rows } = await client.query<IndexRow>(
          `SELECT name, keys, is_unique AS unique FROM ${this.s}.strata_document_indexes WHERE collection = $1 AND name = $2`,
          [collection, index.name],
        );
        const existing = rows[0];
        if (existing) {
          if (JSON.stringify(existing.keys) === JSON.stringify(index.keys) && existing.unique === index.unique) return;
          throw new StrataError('INDEX_CONFLICT', `Collection '${collection}' already has an index named '${index.name}' with other keys or options.`);
        }
        await this.createTable(client, collection);
        const sqlName = indexSqlName(collection, index.name, randomBytes(4).toString('hex'));
        await client.query(
          `INSERT INTO ${this.s}.strata_document_indexes (collection, name, keys, is_unique, sql_name) VALUES ($1, $2, $3, $4, $5)`,
          [collection, index.name, JSON.stringify(index.keys), index.unique, sqlName],
        );
        try {
          await client.query(createIndexSql(this.s, collection, index, sqlName));
        } catch (error) {
          // Core checked the documents first; another writer added a clashing one meanwhile.
          if (isPostgresError(error) && error.code === '23505') throw new DuplicateKeyError(collection, index.name, {});
          throw error;
        }
      }),
    );
  }

  /** One call of `strata_commit`: the whole unit in one round trip and one transaction. */
  async commit(batch: DocumentBatch): Promise<void> {
    try {
      await this.guard('commit a unit of work', () => this.db.pool.query(`SELECT ${this.s}.strata_commit($1::jsonb)`, [batchJson(batch)]));
    } catch (error) {
      throw await this.commitError(error, batch);
    } finally {
      for (const collection of batch.renames.flat()) this.knownTables.delete(collection);
    }
  }

  /** Turns what `strata_commit` refused into core's errors. */
  private async commitError(error: unknown, batch: DocumentBatch): Promise<unknown> {
    if (!isPostgresError(error)) return error;
    const failed = error as PostgresServerError & { detail?: string; where?: string };
    if (failed.code === 'SR002') return new WriteConflictError(failed.message, failed.detail ?? '?');
    const collection = [...batch.writes.keys()].find((name) => failed.table === tableNameOf(name) || (failed.where ?? '').includes(`"${tableNameOf(name)}"`));
    if (failed.code === '42P01') {
      // A table the unit saw was dropped or renamed away meanwhile: look again and retry.
      const stale = [...batch.writes].find(([name, writes]) => writes.info.exists && (failed.message.includes(`${tableNameOf(name)}"`) || name === collection));
      const target = stale?.[0] ?? [...batch.writes.keys()][0];
      if (target !== undefined) {
        this.knownTables.delete(target);
        return new StaleCollectionError(target);
      }
    }
    const writes = collection === undefined ? undefined : batch.writes.get(collection);
    if (failed.code === '23505' && collection !== undefined && writes) return this.duplicateKey(collection, writes, failed);
    if (failed.code === '22P02' || failed.code === '22P05') {
      return new StrataError('INVALID_DOCUMENT', `A document cannot be stored as jsonb: ${failed.message}.`, { cause: error });
    }
    return error;
  }

  async collections(): Promise<string[]> {
    return this.guard('list collections', async () => {
      const { rows } = await this.db.pool.query<{ name: string; indexed: boolean }>(
        `SELECT c.name, EXISTS (SELECT 1 FROM ${this.s}.strata_document_indexes i WHERE i.collection = c.name) AS indexed FROM ${this.s}.strata_collections c`,
      );
      const holding = await Promise.all(rows.map(async (row) => row.indexed || (await this.holdsDocuments(this.db.pool, row.name))));
      return rows.filter((_, at) => holding[at]).map((row) => row.name);
    });
  }

  async drop(collection: string): Promise<boolean> {
    return this.guard('drop a collection', () =>
      this.db.transaction(async (client) => {
        await this.lockCatalog(client);
        return this.dropIn(client, collection);
      }),
    );
  }

  async close(): Promise<void> {
    await this.db.release();
  }

  /** Names the key a unique violation was about: the `_id`, or a declared index and the key the batch gave it. */
  private async duplicateKey(collection: string, writes: CollectionWrites, error: Error & { detail?: string; constraint?: string }): Promise<DuplicateKeyError> {
    const detail = error.detail ?? '';
    const id = /^Key \(id\)=\((.*)\) already exists\.$/s.exec(detail)?.[1];
    if (id !== undefined) return new DuplicateKeyError(collection, ID_INDEX, { _id: id });
    const { rows } = await this.db.pool.query<IndexRow>(
      `SELECT name, keys, is_unique AS unique FROM ${this.s}.strata_document_indexes WHERE sql_name = $1`,
      [error.constraint ?? ''],
    );
    const index = rows[0];
    if (!index) return new DuplicateKeyError(collection, error.constraint ?? 'unknown', {});
    const keys = writes.inserts.map(([, json]) => keyObject(index, indexKeyOf(parseJsonDocument(json), index, collection)));
    const named = keys.find((key) => Object.values(key).every((value) => detail.includes(JSON.stringify(value)))) ?? keys[0] ?? {};
    return new DuplicateKeyError(collection, index.name, named);
  }

  private async dropIn(client: PoolClient, collection: string): Promise<boolean> {
    const { rows } = await client.query<{ exists: boolean; indexed: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS exists, EXISTS (SELECT 1 FROM ${this.s}.strata_document_indexes WHERE collection = $2) AS indexed`,
      [qualifiedTable(this.s, collection), collection],
    );
    const exists = rows[0]?.exists ?? false;
    this.knownTables.delete(collection);
    const held = (rows[0]?.indexed ?? false) || (exists && (await this.holdsDocuments(client, collection)));
    await client.query(`DROP TABLE IF EXISTS ${qualifiedTable(this.s, collection)}`);
    await client.query(`DELETE FROM ${this.s}.strata_collections WHERE name = $1`, [collection]);
    await client.query(`DELETE FROM ${this.s}.strata_document_indexes WHERE collection = $1`, [collection]);
    return held;
  }

  private async holdsDocuments(client: Pick<PoolClient, 'query'>, collection: string): Promise<boolean> {
    try {
      const { rows } = await client.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${qualifiedTable(this.s, collection)}) AS held`);
      return rows[0]?.held ?? false;
    } catch (error) {
      if (isMissingTable(error)) return false;
      throw error;
    }
  }

  private async createTable(client: PoolClient, collection: string): Promise<void> {
    await client.query(createTableSql(this.s, collection));
    await client.query(`INSERT INTO ${this.s}.strata_collections (name, table_name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      collection,
      tableNameOf(collection),
    ]);
  }

  private async tableExists(collection: string): Promise<boolean> {
    if (this.knownTables.has(collection)) return true;
    const { rows } = await this.db.pool.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [qualifiedTable(this.s, collection)]);
    if (rows[0]?.exists) this.knownTables.add(collection);
    return rows[0]?.exists ?? false;
  }

  private async lockCatalog(client: PoolClient): Promise<void> {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended(${escapeLiteral(`strata-documents:${this.db.schemaName}`)}, 0))`);
  }

  private async guard<R>(what: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      throw unavailableError(error, 'READ_STORE_UNAVAILABLE', what);
    }
  }
}

/** The batch as `strata_commit` reads it; documents are spliced in as JSON, not as strings. */
function batchJson(batch: DocumentBatch): string {
  const pair = (id: string, json: string): string => `[${JSON.stringify(id)},${json}]`;
  const writes = [...batch.writes].map(
    ([collection, writes]) =>
      `{"collection":${JSON.stringify(collection)},"table":${JSON.stringify(tableNameOf(collection))},` +
      `"removes":[${writes.removes.map(([id, expected]) => pair(id, expected)).join(',')}],` +
      `"replaces":[${writes.replaces.map(([id, expected, json]) => `[${JSON.stringify(id)},${expected},${json}]`).join(',')}],` +
      `"inserts":[${writes.inserts.map(([id, json]) => pair(id, json)).join(',')}]}`,
  );
  const creates = [...batch.writes].filter(([, writes]) => !writes.info.exists && writes.inserts.length > 0).map(([collection]) => [collection, tableNameOf(collection)]);
  const renames = batch.renames.map(([from, to]) => [from, to, tableNameOf(from), tableNameOf(to)]);
  return `{"creates":${JSON.stringify(creates)},"writes":[${writes.join(',')}],"renames":${JSON.stringify(renames)},"checkpoints":${JSON.stringify(batch.checkpoints)}}`;
}

function isMissingTable(error: unknown): boolean {
  return isPostgresError(error) && error.code === '42P01';
}
