import type { IndexDescription } from '@strata/core/adapter';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../sqlite-database';
import { naturalIndexName } from './document-schema';

/** The page cache while an index is built, at most (KiB): the sort takes the rest (see `build`). */
const INDEX_BUILD_CACHE_KIB = 16 * 1024;

/** A declared index as `strata_document_indexes` keeps it. */
export interface IndexRow {
  readonly name: string;
  readonly keys: string;
  readonly is_unique: number;
  readonly sql_name: string;
}

interface CatalogEntry {
  readonly rows: readonly IndexRow[];
  readonly indexes: readonly IndexDescription[];
}

/**
 * The indexes each collection declares, read once per schema version: every change to them
 * also changes the schema (an index or table is created, dropped or renamed with it). The
 * backend checks the version when a unit of work begins and inside every write transaction,
 * so another connection's new index reaches this one's next unit, and always its commits.
 */
export class SqliteIndexCatalog {
  private readonly cache = new Map<string, CatalogEntry>();
  private version = -1;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly statement: (sql: string) => Statement,
  ) {}

  /** Re-reads the schema version; a change empties the cache. */
  checkSchemaVersion(): void {
    const version = this.statement('PRAGMA schema_version').pluck().get() as number;
    if (version !== this.version) {
      this.cache.clear();
      this.version = version;
    }
  }

  /**
   * Trusts nothing cached until the version is read again: this connection changed the schema,
   * or a transaction rolled back and took the version with it (another connection's next
   * change may then reach the same number).
   */
  invalidate(): void {
    this.version = -1;
  }

  rows(collection: string): readonly IndexRow[] {
    return this.entry(collection).rows;
  }

  indexes(collection: string): readonly IndexDescription[] {
    return this.entry(collection).indexes;
  }

  /** Records a declared index under `sqlName`, and builds it with `createSql`. */
  declare(collection: string, index: IndexDescription, sqlName: string, createSql: string): void {
    this.statement('INSERT INTO strata_document_indexes (collection, name, keys, is_unique, sql_name) VALUES (?, ?, ?, ?, ?)').run(
      collection,
      index.name,
      JSON.stringify(index.keys),
      index.unique ? 1 : 0,
      sqlName,
    );
    this.build(createSql);
    this.invalidate();
  }

  /** The natural SQLite name for a new index, suffixed while an index moved here by a rename holds it. */
  freeName(collection: string, index: string): string {
    const taken = this.statement("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?");
    for (let attempt = 1; ; attempt++) {
      const name = naturalIndexName(collection, index, attempt);
      if (taken.get(name) === undefined) return name;
    }
  }

  private entry(collection: string): CatalogEntry {
    if (this.version === -1) this.checkSchemaVersion();
    let cached = this.cache.get(collection);
    if (!cached) {
      const rows = this.statement('SELECT name, keys, is_unique, sql_name FROM strata_document_indexes WHERE collection = ? ORDER BY rowid').all(collection) as IndexRow[];
      cached = { rows, indexes: rows.map(toIndex) };
      this.cache.set(collection, cached);
    }
    return cached;
  }

  /**
   * Runs a CREATE INDEX. SQLite sorts the keys in memory up to the page cache's size before
   * spilling to a temporary file, on top of the page cache itself; shrinking the cache for
   * the build hands its memory to the sort instead, so building an index over a large
   * collection (a replay's shadow) does not add the cache's size again to the process.
   */
  private build(sql: string): void {
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    // Negative sizes are KiB, positive ones pages.
    const cacheKib = cacheSize < 0 ? -cacheSize : (cacheSize * (this.db.pragma('page_size', { simple: true }) as number)) / 1024;
    if (cacheKib <= INDEX_BUILD_CACHE_KIB) {
      this.db.exec(sql);
      return;
    }
    this.db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
    try {
      this.db.exec(sql);
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
  }
}

export function toIndex(row: IndexRow): IndexDescription {
  return { name: row.name, keys: JSON.parse(row.keys) as IndexDescription['keys'], unique: row.is_unique === 1 };
}
