import { createHash } from 'node:crypto';
import type { IndexDescription } from '@strata/core/adapter';
import { escapeIdentifier, escapeLiteral } from 'pg';
import type { MigrationStep } from '../postgres-database';

/** Migrations of the document store's own tables; append new steps, never edit old ones. */
export const DOCUMENT_STORE_MIGRATIONS: readonly MigrationStep[] = [
  (s) => `
    CREATE TABLE ${s}.strata_collections (
      name       text PRIMARY KEY,
      table_name text NOT NULL UNIQUE
    );
    CREATE TABLE ${s}.strata_document_indexes (
      seq        bigint  GENERATED ALWAYS AS IDENTITY,
      collection text    NOT NULL,
      name       text    NOT NULL,
      keys       jsonb   NOT NULL,
      is_unique  boolean NOT NULL,
      sql_name   text    NOT NULL UNIQUE,
      UNIQUE (collection, name)
    );
    CREATE TABLE ${s}.strata_checkpoints (
      name       text        PRIMARY KEY,
      position   text        NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    ${COMMIT_FUNCTION(s)}`,
];

/**
 * `strata_commit(batch)` applies a unit of work in one round trip and one transaction: tables
 * to create, then per collection the removals and rewrites (each only while the row is still
 * what the unit read; else SQLSTATE SR002 names the collection and the first such id) and
 * the inserts, then renames, then checkpoints. DDL takes the catalog lock first.
 */
function COMMIT_FUNCTION(s: string): string {
  const lock = `PERFORM pg_advisory_xact_lock(hashtextextended(${escapeLiteral(`strata-documents:${s.replace(/"/g, '')}`)}, 0));`;
  return `
    CREATE FUNCTION ${s}.strata_commit(p_batch jsonb) RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE
      v_write jsonb;
      v_item jsonb;
      v_table text;
      v_done text[];
      v_missing text;
    BEGIN
      IF jsonb_array_length(p_batch->'creates') > 0 OR jsonb_array_length(p_batch->'renames') > 0 THEN
        ${lock}
      END IF;
      FOR v_item IN SELECT * FROM jsonb_array_elements(p_batch->'creates') LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS ${s}.%I (id text PRIMARY KEY, doc jsonb NOT NULL)', v_item->>1);
        INSERT INTO ${s}.strata_collections (name, table_name) VALUES (v_item->>0, v_item->>1) ON CONFLICT (name) DO NOTHING;
      END LOOP;
      FOR v_write IN SELECT * FROM jsonb_array_elements(p_batch->'writes') LOOP
        v_table := v_write->>'table';
        IF jsonb_array_length(v_write->'removes') > 0 THEN
          EXECUTE format('WITH d AS (DELETE FROM ${s}.%I t USING jsonb_array_elements($1) e WHERE t.id = e->>0 AND t.doc = e->1 RETURNING t.id) SELECT array_agg(id) FROM d', v_table)
            INTO v_done USING v_write->'removes';
          SELECT e->>0 INTO v_missing FROM jsonb_array_elements(v_write->'removes') e WHERE NOT (e->>0 = ANY(coalesce(v_done, '{}'))) LIMIT 1;
          IF v_missing IS NOT NULL THEN
            RAISE EXCEPTION '%', v_write->>'collection' USING ERRCODE = 'SR002', DETAIL = v_missing;
          END IF;
        END IF;
        IF jsonb_array_length(v_write->'replaces') > 0 THEN
          EXECUTE format('WITH u AS (UPDATE ${s}.%I t SET doc = e->2 FROM jsonb_array_elements($1) e WHERE t.id = e->>0 AND t.doc = e->1 RETURNING t.id) SELECT array_agg(id) FROM u', v_table)
            INTO v_done USING v_write->'replaces';
          SELECT e->>0 INTO v_missing FROM jsonb_array_elements(v_write->'replaces') e WHERE NOT (e->>0 = ANY(coalesce(v_done, '{}'))) LIMIT 1;
          IF v_missing IS NOT NULL THEN
            RAISE EXCEPTION '%', v_write->>'collection' USING ERRCODE = 'SR002', DETAIL = v_missing;
          END IF;
        END IF;
        IF jsonb_array_length(v_write->'inserts') > 0 THEN
          EXECUTE format('INSERT INTO ${s}.%I (id, doc) SELECT e->>0, e->1 FROM jsonb_array_elements($1) e', v_table) USING v_write->'inserts';
        END IF;
      END LOOP;
      FOR v_item IN SELECT * FROM jsonb_array_elements(p_batch->'renames') LOOP
        -- [from, to, from table, to table]: the target is replaced, a missing source leaves it empty.
        EXECUTE format('DROP TABLE IF EXISTS ${s}.%I', v_item->>3);
        DELETE FROM ${s}.strata_collections WHERE name = v_item->>1;
        DELETE FROM ${s}.strata_document_indexes WHERE collection = v_item->>1;
        IF to_regclass(format('${s}.%I', v_item->>2)) IS NOT NULL THEN
          EXECUTE format('ALTER TABLE ${s}.%I RENAME TO %I', v_item->>2, v_item->>3);
          UPDATE ${s}.strata_collections SET name = v_item->>1, table_name = v_item->>3 WHERE name = v_item->>0;
          -- The PostgreSQL indexes move with the table under their own names, which the catalog keeps.
          UPDATE ${s}.strata_document_indexes SET collection = v_item->>1 WHERE collection = v_item->>0;
        END IF;
      END LOOP;
      INSERT INTO ${s}.strata_checkpoints (name, position)
      SELECT e->>0, e->>1 FROM jsonb_array_elements(p_batch->'checkpoints') e
      ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = clock_timestamp();
    END
    $fn$;`;
}

/** PostgreSQL truncates identifiers past 63 bytes. */
const MAX_IDENTIFIER = 63;
const TABLE_PREFIX = 'doc_';

/**
 * The unquoted table name of a collection: `doc_<name>`, or for a name too long for an
 * identifier, its first characters and a hash, so names stay readable in psql and distinct.
 */
export function tableNameOf(collection: string): string {
  const natural = `${TABLE_PREFIX}${collection}`;
  if (Buffer.byteLength(natural) <= MAX_IDENTIFIER) return natural;
  const hash = createHash('sha256').update(collection).digest('hex').slice(0, 16);
  return `${natural.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/** The quoted, schema-qualified table of a collection. */
export function qualifiedTable(schema: string, collection: string): string {
  return `${schema}.${escapeIdentifier(tableNameOf(collection))}`;
}

export function createTableSql(schema: string, collection: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(schema, collection)} (id text PRIMARY KEY, doc jsonb NOT NULL)`;
}

/**
 * The indexed value of a path as MongoDB compares index keys: jsonb keeps types apart (`true`
 * is not `1`, `"1"` is not `1`) and equal numbers equal, and a missing field indexes as JSON
 * null, so a UNIQUE index treats missing and null as one value, as MongoDB does. Core refuses
 * arrays and objects at indexed paths. Index and queries use this exact text, so the planner
 * matches them.
 */
export function keyExpression(path: string): string {
  // Segments are identifiers (core validates index paths), safe inside a text-array literal.
  return `coalesce(doc #> ${escapeLiteral(`{${path.split('.').join(',')}}`)}, 'null'::jsonb)`;
}

/** A new index's SQL name: unique in the schema whatever renames happen later, since the sequence never repeats. */
export function indexSqlName(collection: string, index: string, seq: string): string {
  return `idx_${seq}_${collection}_${index}`.slice(0, MAX_IDENTIFIER);
}

export function createIndexSql(schema: string, collection: string, index: IndexDescription, sqlName: string): string {
  const columns = index.keys.map(([path, direction]) => `(${keyExpression(path)})${direction === -1 ? ' DESC' : ''}`).join(', ');
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${escapeIdentifier(sqlName)} ON ${qualifiedTable(schema, collection)} (${columns})`;
}
