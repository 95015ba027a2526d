import type { IndexDescription } from '@strata/core';

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
];

// Collection and index names never contain '/' (core validates them), so these identifiers
// cannot collide, and need no escaping inside double quotes.

/** The quoted table holding one collection: `(id TEXT PRIMARY KEY, doc TEXT)`. */
export function tableName(collection: string): string {
  return `"strata_doc/${collection}"`;
}

/** The quoted name of a declared index's SQLite index. */
export function indexName(collection: string, index: string): string {
  return `"strata_idx/${collection}/${index}"`;
}

/** The SQLite index name as constraint errors report it (unquoted). */
export function indexNameInErrors(collection: string, index: string): string {
  return `strata_idx/${collection}/${index}`;
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

export function createIndexSql(collection: string, index: IndexDescription): string {
  const columns = index.keys.map(([path, direction]) => `${keyExpression(path)}${direction === -1 ? ' DESC' : ''}`).join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${indexName(collection, index.name)} ON ${tableName(collection)} (${columns})`;
}
