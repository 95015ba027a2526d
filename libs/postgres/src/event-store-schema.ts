import { escapeLiteral } from 'pg';
import type { MigrationStep } from './postgres-database';

/** The channel appends are announced on, per schema: `strata_appended_<schema>`. */
export function appendChannel(schemaName: string): string {
  return `strata_appended_${schemaName}`;
}

/**
 * `strata_append` is the whole write path in one round trip. It takes a transaction-scoped
 * advisory lock per schema before it reads the stream's head and draws positions, and the
 * lock is released only after the commit is visible. So positions are handed out in commit
 * order: a reader that has seen position n has seen every committed position below it, and no
 * transaction can commit a lower one later (the trap of sequences under concurrent commits).
 * With `checksums`, it takes one more array, the events' checksums, and stores them.
 */
function appendFunction(s: string, checksums: boolean): string {
  const sums = checksums ? { parameter: ' p_checksums bigint[],', column: ', checksum', value: ', u.c', array: ', p_checksums', alias: ', c' } : { parameter: '', column: '', value: '', array: '', alias: '' };
  return `
    CREATE FUNCTION ${s}.strata_append(
      p_stream text, p_expected text, p_ids text[], p_types text[], p_data text[], p_metadata text[],${sums.parameter} p_origin text
    ) RETURNS TABLE (outcome text, head bigint, last_position bigint) LANGUAGE plpgsql AS $fn$
    #variable_conflict use_column
    DECLARE
      v_current bigint;
      v_inserted integer;
      v_last bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(${escapeLiteral(`strata-append:${s}`)}, 0));
      SELECT coalesce(max(e.revision), -1) INTO v_current FROM ${s}.strata_events e WHERE e.stream_id = p_stream;
      IF NOT (p_expected = 'any'
          OR (p_expected = 'no_stream' AND v_current = -1)
          OR (p_expected = 'stream_exists' AND v_current >= 0)
          OR (p_expected ~ '^[0-9]+$' AND v_current = p_expected::bigint)) THEN
        RETURN QUERY SELECT 'conflict'::text, v_current, NULL::bigint;
        RETURN;
      END IF;
      WITH inserted AS (
        INSERT INTO ${s}.strata_events (stream_id, revision, event_id, type, data, metadata${sums.column})
        SELECT p_stream, v_current + u.o, u.i, u.t, u.d::jsonb, u.m::jsonb${sums.value}
        FROM unnest(p_ids, p_types, p_data, p_metadata${sums.array}) WITH ORDINALITY AS u(i, t, d, m${sums.alias}, o)
        ORDER BY u.o
        ON CONFLICT (event_id) DO NOTHING
        RETURNING position
      )
      SELECT count(*), max(position) INTO v_inserted, v_last FROM inserted;
      IF v_inserted < cardinality(p_ids) THEN
        -- Rolls back what was inserted: the caller looks the ids up to tell a repeat from a clash.
        RAISE EXCEPTION 'an event id of this append is already stored' USING ERRCODE = 'SR001';
      END IF;
      PERFORM pg_notify(${escapeLiteral(appendChannel(s.replace(/"/g, '')))}, p_origin || ':' || v_last::text);
      RETURN QUERY SELECT 'appended'::text, v_current + v_inserted, v_last;
    END
    $fn$;`;
}

/** Migrations of the event log; append new steps, never change what an old one creates. */
export const EVENT_STORE_MIGRATIONS: readonly MigrationStep[] = [
  (s) => `
    CREATE TABLE ${s}.strata_events (
      position   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_id  text        NOT NULL,
      revision   bigint      NOT NULL,
      event_id   text        NOT NULL,
      type       text        NOT NULL,
      data       jsonb       NOT NULL,
      metadata   jsonb       NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE UNIQUE INDEX strata_events_stream_revision ON ${s}.strata_events (stream_id, revision);
    CREATE UNIQUE INDEX strata_events_event_id ON ${s}.strata_events (event_id);
    CREATE INDEX strata_events_type ON ${s}.strata_events (type, position);
    ${appendFunction(s, false)}`,
  // The CRC-32 of each event (core's eventChecksum over data and metadata in jsonb's key order).
  // Rows written before it hold NULL: read as legacy, unverified, rather than back-filled, which
  // would bless whatever they hold now. The first strata_append stays, so instances of the
  // previous version keep appending (without checksums) while a rolling upgrade replaces them.
  (s) => `
    ALTER TABLE ${s}.strata_events ADD COLUMN checksum bigint;
    ${appendFunction(s, true)}`,
];

export interface EventRow {
  readonly position: string;
  readonly stream_id: string;
  readonly revision: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly created_at: Date;
  /** A CRC-32 as the driver returns bigint (text); null on rows written before checksums. */
  readonly checksum: string | null;
}

export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created_at, checksum';
