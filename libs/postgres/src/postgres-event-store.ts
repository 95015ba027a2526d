import { randomUUID } from 'node:crypto';
import { EventStore, StrataError, type AppendOptions, type AppendResult, type Event, type EventToAppend, type Position, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions, type RecordedEvent } from '@strata/core';
import { StreamNotFoundError, type ExpectedRevision, type ReadAllFilter, checkAppend, pageBounds, parseSequencePosition, positionFromSequence, validateAppendInput } from '@strata/core/adapter';
import { EVENT_COLUMNS, EVENT_STORE_MIGRATIONS, type EventRow } from './event-store-schema';
import { toColumns, toRecorded, toRef, type Columns, type RefRow } from './postgres-event-rows';
import { AppendListener } from './append-listener';
import { migrate, PostgresDatabase, type PostgresOptions } from './postgres-database';
import { corruptedError, isPostgresError, unavailableError } from './postgres-errors';

const STREAM_PAGE = 512;
/** Rounds of "the head moved between the lookup and the retry" before giving up. */
const MAX_APPEND_ROUNDS = 5;

/** Options of the event store beyond the connection. */
export interface PostgresEventStoreOptions extends PostgresOptions {
  /** Wake followers when another process appends (LISTEN/NOTIFY). Defaults to true. */
  readonly listen?: boolean;
  /**
   * Write a checksum with every event and verify it on every read (default true). Off only to
   * measure what checksums cost (bench/figures/postgres-checksums.ts); events written without one read as legacy.
   */
  readonly checksums?: boolean;
}

/**
 * The event log on PostgreSQL. An append is one call of `strata_append` (one round trip): it
 * checks the expected revision and draws positions under a per-schema advisory lock held to
 * the commit, so positions are a gap-tolerant sequence in commit order that no reader skips.
 */
export class PostgresEventStore extends EventStore {
  private closed = false;
  /** Tells this instance's own announcements apart from other processes'. */
  private readonly origin = randomUUID();
  private readonly listener: AppendListener | null;

  private constructor(
    private readonly db: PostgresDatabase,
    listen: boolean,
    private readonly writesChecksums: boolean,
  ) {
    super();
    this.listener = listen ? new AppendListener(db, this.origin, (position) => this.notifyAppended(position)) : null;
  }

  /** Connects, creates or migrates the schema, and returns the store. */
  static async open(options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    return PostgresEventStore.onDatabase(PostgresDatabase.open(options), options.listen ?? true, options.checksums ?? true);
  }

  /** Uses a pool another component opened; the store releases its share on close. */
  static async onDatabase(db: PostgresDatabase, listen = true, checksums = true): Promise<PostgresEventStore> {
    try {
      await migrate(db, 'events', EVENT_STORE_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw unavailableError(error, 'EVENT_STORE_UNAVAILABLE', 'prepare the event log');
    }
    return new PostgresEventStore(db, listen, checksums);
  }

  override onAppended(listener: (position: Position) => void): () => void {
    this.listener?.start();
    return super.onAppended(listener);
  }

  override async appendToStream<E extends Event>(streamId: string, events: readonly EventToAppend<E>[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    validateAppendInput(streamId, events);
    const rows = toColumns(streamId, events, this.writesChecksums);
    const expected = options.expectedRevision ?? 'any';
    const result = await this.guard('append', () => this.appendRounds(streamId, events, rows, expected));
    this.notifyAppended(result.position);
    return result;
  }

  private async appendRounds(streamId: string, events: readonly EventToAppend[], rows: Columns, expected: ExpectedRevision): Promise<AppendResult> {
    for (let round = 0; round < MAX_APPEND_ROUNDS; round++) {
      const attempt = await this.tryAppend(streamId, rows, expected);
      if ('result' in attempt) return attempt.result;
      const repeated = await this.lookUpIds(streamId, events, expected);
      if (repeated) return repeated;
      // The ids are new and the stream is where the writer expects it now: it moved in between.
    }
    throw new StrataError('APPEND_CONTENDED', `Appending to '${streamId}' kept racing other writers after ${MAX_APPEND_ROUNDS} rounds; retry the command.`);
  }

  /** One call of `strata_append`: the result, or a sign that ids or the revision need a closer look. */
  private async tryAppend(streamId: string, rows: Columns, expected: ExpectedRevision): Promise<{ result: AppendResult } | { check: true }> {
    try {
      const { rows: out } = await this.db.pool.query<{ outcome: string; head: string; last_position: string | null }>(
        `SELECT outcome, head, last_position FROM ${this.db.schema}.strata_append($1, $2, $3, $4, $5, $6, $7::bigint[], $8)`,
        [streamId, String(expected), rows.ids, rows.types, rows.data, rows.metadata, rows.checksums, this.origin],
      );
      const row = out[0];
      if (row?.outcome === 'appended' && row.last_position !== null) {
        return { result: { nextRevision: BigInt(row.head), position: positionFromSequence(BigInt(row.last_position)) } };
      }
      return { check: true };
    } catch (error) {
      if (isPostgresError(error) && error.code === 'SR001') return { check: true };
      if (isPostgresError(error) && (error.code === '22P02' || error.code === '22P05')) {
        throw new StrataError('INVALID_EVENT', `An event for '${streamId}' cannot be stored as JSON in PostgreSQL: ${error.message}.`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * After a refused append: a repeat of an earlier append (all ids stored, same place) returns
   * its first result, a clash of ids or revisions throws, and undefined means try again.
   */
  private async lookUpIds(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult | undefined> {
    const given = events.filter((event) => event.id !== undefined).map((event) => event.id as string);
    const { rows } = await this.db.pool.query<{ head: string | null; refs: RefRow[] | null }>(
      `SELECT (SELECT max(revision) FROM ${this.db.schema}.strata_events WHERE stream_id = $1) AS head,
              (SELECT json_agg(json_build_object('event_id', event_id, 'stream_id', stream_id, 'revision', revision::text, 'position', position::text))
                 FROM ${this.db.schema}.strata_events WHERE event_id = ANY($2)) AS refs`,
      [streamId, given],
    );
    const current = rows[0]?.head == null ? -1n : BigInt(rows[0].head);
    const byId = new Map((rows[0]?.refs ?? []).map((ref) => [ref.event_id, toRef(ref)]));
    return checkAppend(streamId, expected, events, (id) => byId.get(id), current);
  }

  override async *readStream<E extends Event = Event>(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent<E>> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let from = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.db.schema}.strata_events WHERE stream_id = $1 AND revision ${backwards ? '<=' : '>='} $2
                 ORDER BY revision ${backwards ? 'DESC' : ''} LIMIT $3`;
    let first = true;
    while (remaining > 0) {
      const limit = Math.min(remaining, STREAM_PAGE);
      const { rows } = await this.guard('read a stream', () => this.db.pool.query<EventRow>(sql, [streamId, from.toString(), limit]));
      if (first && rows.length === 0 && !(await this.streamExists(streamId))) throw new StreamNotFoundError(streamId);
      first = false;
      // A damaged event throws: a decision is never folded from it.
      for (const row of rows) yield toRecorded(row, this.writesChecksums) as RecordedEvent<E>;
      const last = rows[rows.length - 1];
      if (!last || rows.length < limit) return;
      remaining -= rows.length;
      from = BigInt(last.revision) + (backwards ? -1n : 1n);
    }
  }

  override async findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    this.assertOpen();
    const { rows } = await this.guard('find an event', () =>
      this.db.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${this.db.schema}.strata_events WHERE event_id = $1 AND stream_id = $2`, [eventId, streamId]),
    );
    return rows[0] && (toRecorded(rows[0], this.writesChecksums) as RecordedEvent<E>);
  }

  override async headPosition(): Promise<Position | null> {
    this.assertOpen();
    const { rows } = await this.guard('read the head', () => this.db.pool.query<{ head: string | null }>(`SELECT max(position) AS head FROM ${this.db.schema}.strata_events`));
    const head = rows[0]?.head;
    return head == null ? null : positionFromSequence(BigInt(head));
  }

  /** Reads one row past the page, so the next page's start is exact even under a filter. */
  override async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.assertOpen();
    const { backwards, maxCount, from } = pageBounds(options, BigInt(Number.MAX_SAFE_INTEGER));
    const { where, parameters } = filterSql(options.filter);
    const sql = `SELECT ${EVENT_COLUMNS} FROM ${this.db.schema}.strata_events
                 WHERE position ${backwards ? '<=' : '>='} $1${where} ORDER BY position ${backwards ? 'DESC' : ''} LIMIT $2`;
    const { rows } = await this.guard('read the log', () => this.db.pool.query<EventRow>(sql, [from.toString(), maxCount + 1, ...parameters]));
    const next = rows.length > maxCount ? (rows.pop() as EventRow) : undefined;
    return { events: rows.map((row) => toRecorded(row, this.writesChecksums, options.includeDamaged)), nextPosition: next ? positionFromSequence(BigInt(next.position)) : null };
  }

  override get checksums(): boolean {
    return this.writesChecksums;
  }

  override parsePosition(text: string): Position {
    return parseSequencePosition(text);
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.stop();
    await this.db.release();
  }

  private async streamExists(streamId: string): Promise<boolean> {
    const { rowCount } = await this.db.pool.query(`SELECT 1 FROM ${this.db.schema}.strata_events WHERE stream_id = $1 LIMIT 1`, [streamId]);
    return (rowCount ?? 0) > 0;
  }

  private async guard<R>(what: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      throw corruptedError(error, what) ?? unavailableError(error, 'EVENT_STORE_UNAVAILABLE', what);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', 'The PostgreSQL event store is closed; the app is shutting down.');
  }
}

function filterSql(filter: ReadAllFilter | undefined): { where: string; parameters: unknown[] } {
  if (!filter) return { where: '', parameters: [] };
  if ('eventTypes' in filter) return { where: ' AND type = ANY($3)', parameters: [filter.eventTypes] };
  return { where: ' AND EXISTS (SELECT 1 FROM unnest($3::text[]) AS p(prefix) WHERE starts_with(stream_id, p.prefix))', parameters: [filter.streamPrefixes] };
}
