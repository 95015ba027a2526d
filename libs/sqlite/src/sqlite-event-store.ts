import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, EventStore, StrataError, StreamNotFoundError, type AppendOptions, type ExpectedRevision, type AppendResult, type Event, type EventToAppend, type Position, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions, type RecordedEvent } from '@strata/core';
import { assertExpectedRevision, pageBounds, parseSequencePosition, positionFromSequence, resolveRepeatedAppend, validateAppendInput, matchesExpectedRevision, type StoredEventRef } from '@strata/core/adapter';
import type { Statement, Transaction } from 'better-sqlite3';
import { EVENT_STORE_MIGRATIONS, type EventRow } from './event-store-schema';
import { ConnectionHold, isSqliteError, migrate, openSqliteDatabase, storeBusyError, type SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database';

const STREAM_PAGE = 512;
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created_at';

/** The embedded event store: one SQLite file in WAL mode; each append is one transaction. */
export class SqliteEventStore extends EventStore {
  private readonly statements;
  private readonly appendOptimistically: Transaction<(streamId: string, rows: readonly EventRowInput[], expected: ExpectedRevision) => AppendResult>;
  private readonly appendCheckingIds: Transaction<
    (streamId: string, events: readonly EventToAppend[], rows: readonly EventRowInput[], expected: ExpectedRevision) => AppendResult
  >;
  private readonly hold: ConnectionHold;

  private constructor(
    private readonly db: SqliteDatabase,
    ownsDatabase: boolean,
  ) {
    super();
    this.hold = new ConnectionHold(db, ownsDatabase, 'SQLite event store');
    migrate(db, 'events', EVENT_STORE_MIGRATIONS);
    this.statements = prepare(db);
    // Prepared once: wrapping a function in a transaction per append shows up in the profile.
    this.appendOptimistically = db.transaction((streamId, rows, expected) => this.appendIfNew(streamId, rows, expected));
    this.appendCheckingIds = db.transaction((streamId, events, rows, expected) => this.appendAfterLookup(streamId, events, rows, expected));
  }

  /** Opens (creating if needed) the event log in a SQLite file. */
  static open(options: SqliteDatabaseOptions): SqliteEventStore {
    return new SqliteEventStore(openSqliteDatabase(options), true);
  }

  /** Uses a database another component opened; closing the store leaves it open. */
  static onDatabase(db: SqliteDatabase): SqliteEventStore {
    return new SqliteEventStore(db, false);
  }

  override async appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.hold.assertOpen();
    validateAppendInput(streamId, events);
    const rows = toRows(events);
    const expected = options.expectedRevision ?? 'any';
    let result: AppendResult;
    try {
      result = this.appendInTransaction(streamId, events, rows, expected);
    } catch (error) {
      throw storeBusyError(error) ?? error;
    }
    this.notifyAppended(result.position);
    return Promise.resolve(result);
  }

  private appendInTransaction(streamId: string, events: readonly EventToAppend[], rows: readonly EventRowInput[], expected: ExpectedRevision): AppendResult {
    try {
      // IMMEDIATE takes the write lock up front, so two processes never both read the same head.
      return this.appendOptimistically.immediate(streamId, rows, expected);
    } catch (error) {
      if (!(error instanceof NeedsIdLookup)) throw error;
      return this.appendCheckingIds.immediate(streamId, events, rows, expected);
    }
  }

  /**
   * The common case: the stream is where the writer expects it and the event ids are new. That
   * needs no lookup by id: the unique index finds a repeated id, and then the transaction rolls
   * back for `appendAfterLookup`, which tells a repeated append from a conflict.
   */
  private appendIfNew(streamId: string, rows: readonly EventRowInput[], expected: ExpectedRevision): AppendResult {
    const current = this.headRevision(streamId);
    if (!matchesExpectedRevision(expected, current)) throw new NeedsIdLookup();
    try {
      return this.insertRows(streamId, current, rows);
    } catch (error) {
      if (isDuplicateEventId(error)) throw new NeedsIdLookup();
      throw error;
    }
  }

  /** Looks the given ids up first: a repeat of an earlier append returns its result instead of failing. */
  private appendAfterLookup(streamId: string, events: readonly EventToAppend[], rows: readonly EventRowInput[], expected: ExpectedRevision): AppendResult {
    const current = this.headRevision(streamId);
    const given = events.filter((event) => event.id !== undefined).map((event) => event.id as string);
    if (given.length > 0) {
      const found = given.map((id) => toRef(this.statements.byId.get(id) as RefRow | undefined));
      if (given.length === events.length) {
        const repeated = resolveRepeatedAppend(streamId, expected, given, found, current);
        if (repeated) return repeated;
      } else {
        const taken = found.find((ref) => ref !== undefined);
        if (taken) throw new DuplicateEventIdError(streamId, taken.id);
      }
    }
    assertExpectedRevision(streamId, expected, current);
    return this.insertRows(streamId, current, rows);
  }

  private headRevision(streamId: string): bigint {
    const head = this.statements.head.get(streamId) as { revision: number | null };
    return head.revision === null ? -1n : BigInt(head.revision);
  }

  private insertRows(streamId: string, current: bigint, rows: readonly EventRowInput[]): AppendResult {
    const createdAt = Date.now();
    let revision = current;
    let position = 0n;
    for (const row of rows) {
      revision += 1n;
      const result = this.statements.insert.run(streamId, revision, row.id, row.type, row.data, row.metadata, createdAt);
      position = BigInt(result.lastInsertRowid);
    }
    return { nextRevision: revision, position: positionFromSequence(position) };
  }

  override async *readStream<E extends Event = Event>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent<E>> {
    this.hold.assertOpen();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let from = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    let first = true;
    while (remaining > 0) {
      const statement = backwards ? this.statements.streamBackwards : this.statements.streamForwards;
      const rows = statement.all(streamId, from, Math.min(remaining, STREAM_PAGE)) as EventRow[];
      if (first && rows.length === 0 && this.statements.exists.get(streamId) === undefined) {
        throw new StreamNotFoundError(streamId);
      }
      first = false;
      for (const row of rows) yield toRecorded(row) as RecordedEvent<E>;
      const last = rows[rows.length - 1];
      if (!last || rows.length < STREAM_PAGE) return;
      remaining -= rows.length;
      from = BigInt(last.revision) + (backwards ? -1n : 1n);
      // Let other work run between pages of a long stream.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** A lookup in the unique index on event ids. */
  override async findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    this.hold.assertOpen();
    const row = this.statements.findEvent.get(eventId, streamId) as EventRow | undefined;
    return Promise.resolve(row && (toRecorded(row) as RecordedEvent<E>));
  }

  override async headPosition(): Promise<Position | null> {
    this.hold.assertOpen();
    const head = (this.statements.lastPosition.get() as { position: number | null }).position;
    return Promise.resolve(head === null ? null : positionFromSequence(head));
  }

  override async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.hold.assertOpen();
    const head = (this.statements.lastPosition.get() as { position: number | null }).position ?? 0;
    const { backwards, maxCount, from } = pageBounds(options, BigInt(head));
    const filter = options.filter;
    const types = filter && 'eventTypes' in filter ? JSON.stringify(filter.eventTypes) : null;
    const prefixes = filter && 'streamPrefixes' in filter ? JSON.stringify(filter.streamPrefixes) : null;
    const statement = backwards ? this.statements.allBackwards : this.statements.allForwards;
    const rows = statement.all({ from, types, prefixes, limit: maxCount }) as EventRow[];
    const last = rows[rows.length - 1];
    const next = last === undefined ? null : BigInt(last.position) + (backwards ? -1n : 1n);
    const exhausted = rows.length < maxCount || next === null || next < 1n || next > BigInt(head);
    return {
      events: rows.map(toRecorded),
      nextPosition: exhausted ? null : positionFromSequence(next),
    };
  }

  override parsePosition(text: string): Position {
    return parseSequencePosition(text);
  }

  override async close(): Promise<void> {
    this.hold.close();
    await Promise.resolve();
  }
}

interface EventRowInput {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Serialises events for insert; metadata shared by a command's events is serialised once. */
function toRows(events: readonly EventToAppend[]): EventRowInput[] {
  let lastMetadata: unknown = undefined;
  let lastText = '{}';
  return events.map((event) => {
    const metadata = event.metadata ?? {};
    if (metadata !== lastMetadata) {
      lastMetadata = metadata;
      lastText = JSON.stringify(metadata);
    }
    return { id: event.id ?? randomUUID(), type: event.type, data: JSON.stringify(event.data), metadata: lastText };
  });
}

/** Rolls the optimistic append back so the ids are looked up; never leaves the store. */
class NeedsIdLookup extends Error {}

/** The driver's error for a second row with an event id already stored. */
function isDuplicateEventId(error: unknown): boolean {
  return isSqliteError(error) && error.code === 'SQLITE_CONSTRAINT_UNIQUE' && error.message.includes('strata_events.event_id');
}

interface RefRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly position: number;
}

function toRef(row: RefRow | undefined): StoredEventRef | undefined {
  if (!row) return undefined;
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: positionFromSequence(row.position),
  };
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: parseJson(row, row.data) as Record<string, unknown>,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: positionFromSequence(row.position),
    metadata: parseJson(row, row.metadata) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
  };
}

function parseJson(row: EventRow, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StrataError(
      'UNREADABLE_EVENT',
      `Event at position ${row.position} ('${row.type}' in '${row.stream_id}') is not valid JSON; the file may be damaged.`,
      { cause: error },
    );
  }
}

function prepare(db: SqliteDatabase): Record<
  'head' | 'byId' | 'findEvent' | 'insert' | 'exists' | 'streamForwards' | 'streamBackwards' | 'lastPosition' | 'allForwards' | 'allBackwards',
  Statement
> {
  const filter = `(@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
    AND (@prefixes IS NULL OR EXISTS (SELECT 1 FROM json_each(@prefixes) WHERE substr(stream_id, 1, length(value)) = value))`;
  return {
    head: db.prepare('SELECT MAX(revision) AS revision FROM strata_events WHERE stream_id = ?'),
    byId: db.prepare('SELECT event_id, stream_id, revision, position FROM strata_events WHERE event_id = ?'),
    findEvent: db.prepare(`SELECT ${COLUMNS} FROM strata_events WHERE event_id = ? AND stream_id = ?`),
    insert: db.prepare(
      'INSERT INTO strata_events (stream_id, revision, event_id, type, data, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    exists: db.prepare('SELECT 1 FROM strata_events WHERE stream_id = ? LIMIT 1'),
    streamForwards: db.prepare(
      `SELECT ${COLUMNS} FROM strata_events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    streamBackwards: db.prepare(
      `SELECT ${COLUMNS} FROM strata_events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    lastPosition: db.prepare('SELECT MAX(position) AS position FROM strata_events'),
    allForwards: db.prepare(
      `SELECT ${COLUMNS} FROM strata_events WHERE position >= @from AND ${filter} ORDER BY position LIMIT @limit`,
    ),
    allBackwards: db.prepare(
      `SELECT ${COLUMNS} FROM strata_events WHERE position <= @from AND ${filter} ORDER BY position DESC LIMIT @limit`,
    ),
  };
}
