import type { IndexDescription } from '@strata/core/adapter';

/** Migrations of the document store's own tables; append new steps, never edit old ones. */
export const DOCUMENT_STORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE strata_document_indexes (
     collection TEXT    NOT NULL,
     name       TEXT    NOT NULL,
     keys       TEXT    NOT NULL,
     is_unique  INTEGER NOT NULL,
     UNIQUE (collection, name)
   );
   CREATE TABLE strata_checkpoints (
     name       TEXT    PRIMARY KEY,
     position   TEXT    NOT NULL,
     updated_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  // A renamed collection keeps its SQLite indexes, whose names embed the old collection name,
  // so each declared index records the name its SQLite index really has.
  `ALTER TABLE strata_document_indexes ADD COLUMN sql_name TEXT;
   UPDATE strata_document_indexes SET sql_name = 'strata_idx/' || collection || '/' || name;`,
];

/** The prefix of every collection table's name. */
export const TABLE_PREFIX = 'strata_doc/';

// Collection and index names never contain '/' (core validates them), so these identifiers
// cannot collide, and need no escaping inside double quotes.

/** The quoted table holding one collection: `(id TEXT PRIMARY KEY, doc TEXT)`. */
export function tableName(collection: string): string {
  return `"${TABLE_PREFIX}${collection}"`;
}

/**
 * The SQLite name a new index gets unless it is taken (unquoted, as constraint errors report
 * it). It can be taken by an index that moved with a renamed collection; then a `/<n>` suffix
 * is added, which no natural name can carry.
 */
export function naturalIndexName(collection: string, index: string, attempt = 1): string {
  return `strata_idx/${collection}/${index}${attempt === 1 ? '' : `/${attempt}`}`;
}

export function createTableSql(collection: string): string {
  return `CREATE TABLE IF NOT EXISTS ${tableName(collection)} (id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID`;
}

/**
 * The indexed value of a path, typed the way MongoDB compares index keys: strings and numbers
 * as themselves, booleans as distinct blobs (json_extract alone would make `true` equal `1`),
 * and null and a missing field as one empty blob (json_extract alone gives SQL NULL, which a
 * UNIQUE index treats as always distinct, where MongoDB treats missing fields as equal).
 * Core refuses arrays and objects at indexed paths, so no other JSON type reaches it.
 * Index and queries must use this exact text for SQLite to match them.
 */
export function keyExpression(path: string): string {
  // Segments are identifiers (core validates index paths), so the JSON path needs no quoting.
  const json = `'$.${path}'`;
  return `(CASE ifnull(json_type(doc, ${json}), 'null') WHEN 'null' THEN x'' WHEN 'true' THEN x'01' WHEN 'false' THEN x'00' ELSE json_extract(doc, ${json}) END)`;
}

/** The key-encoded form of a scalar, to compare with `keyExpression`. */
export function keyParameter(value: string | number | boolean | null): string | number | Buffer {
  if (value === null) return Buffer.alloc(0);
  if (typeof value === 'boolean') return Buffer.from([value ? 1 : 0]);
  return value;
}

/** Creates a declared index as a SQLite index named `sqlName`. */
export function createIndexSql(collection: string, index: IndexDescription, sqlName: string): string {
  const columns = index.keys.map(([path, direction]) => `${keyExpression(path)}${direction === -1 ? ' DESC' : ''}`).join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX "${sqlName}" ON ${tableName(collection)} (${columns})`;
}
