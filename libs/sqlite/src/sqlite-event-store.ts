import { EventStore, type AppendOptions, type AppendResult, type Event, type EventToAppend, type Position, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions, type RecordedEvent } from '@strata/core';
import { StreamNotFoundError, type BackupResult, type ExpectedRevision, checkAppend, pageBounds, parseSequencePosition, positionFromSequence, validateAppendInput, matchesExpectedRevision } from '@strata/core/adapter';
import type { Statement, Transaction } from 'better-sqlite3';
import { EVENT_STORE_MIGRATIONS, type EventRow } from './event-store-schema';
import { ConnectionHold, isSqliteError, migrate, openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database';
import { toRecorded, toRef, toRows, type EventRowInput, type RefRow } from './sqlite-event-rows';
import { backupDatabase } from './sqlite-backup';
import { sqliteFault } from './sqlite-faults';

const STREAM_PAGE = 512;
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created_at, checksum';

/** How the embedded event store opens. */
export interface SqliteEventStoreOptions extends SqliteDatabaseOptions {
  /**
   * Write a checksum with every event and verify it on every read (default true). Off only to
   * measure what checksums cost (bench/checksums.ts); events written without one read as legacy.
   */
  readonly checksums?: boolean;
}

/** The embedded event store: one SQLite file in WAL mode; each append is one transaction. */
export class SqliteEventStore extends EventStore {
  private readonly statements;
  private readonly appendOptimistically: Transaction<(streamId: string, rows: readonly EventRowInput[], expected: ExpectedRevision) => AppendResult>;
  private readonly appendCheckingIds: Transaction<
    (streamId: string, events: readonly EventToAppend[], rows: readonly EventRowInput[], expected: ExpectedRevision) => AppendResult
  >;
  private readonly hold: ConnectionHold;

  private readonly writesChecksums: boolean;

  private constructor(
    private readonly db: SqliteDatabase,
    ownsDatabase: boolean,
    checksums = true,
  ) {
    super();
    this.writesChecksums = checksums;
    this.hold = new ConnectionHold(db, ownsDatabase, 'SQLite event store');
    migrate(db, 'events', EVENT_STORE_MIGRATIONS);
    this.statements = prepare(db);
    // Prepared once: wrapping a function in a transaction per append shows up in the profile.
    this.appendOptimistically = db.transaction((streamId, rows, expected) => this.appendIfNew(streamId, rows, expected));
    this.appendCheckingIds = db.transaction((streamId, events, rows, expected) => this.appendAfterLookup(streamId, events, rows, expected));
  }

  /** Opens (creating if needed) the event log in a SQLite file. */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(openSqliteDatabase(options), true, options.checksums);
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
    const rows = toRows(streamId, events, this.writesChecksums);
    const expected = options.expectedRevision ?? 'any';
    let result: AppendResult;
    try {
      result = this.appendInTransaction(streamId, events, rows, expected);
    } catch (error) {
      throw sqliteFault(error, this.db.name) ?? error;
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
    const repeated = checkAppend(streamId, expected, events, (id) => toRef(this.statements.byId.get(id) as RefRow | undefined), current);
    return repeated ?? this.insertRows(streamId, current, rows);
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
      const result = this.statements.insert.run(streamId, revision, row.id, row.type, row.data, row.metadata, createdAt, row.checksum);
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
      const rows = this.reading(() => statement.all(streamId, from, Math.min(remaining, STREAM_PAGE)) as EventRow[]);
      if (first && rows.length === 0 && this.reading(() => this.statements.exists.get(streamId)) === undefined) {
        throw new StreamNotFoundError(streamId);
      }
      first = false;
      // A damaged event throws: a decision is never folded from it.
      for (const row of rows) yield toRecorded(row, this.writesChecksums) as RecordedEvent<E>;
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
    const row = this.reading(() => this.statements.findEvent.get(eventId, streamId) as EventRow | undefined);
    return Promise.resolve(row && (toRecorded(row, this.writesChecksums) as RecordedEvent<E>));
  }

  override async headPosition(): Promise<Position | null> {
    this.hold.assertOpen();
    const head = this.reading(() => this.statements.lastPosition.get() as { position: number | null }).position;
    return Promise.resolve(head === null ? null : positionFromSequence(head));
  }

  override async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.hold.assertOpen();
    const head = this.reading(() => this.statements.lastPosition.get() as { position: number | null }).position ?? 0;
    const { backwards, maxCount, from } = pageBounds(options, BigInt(head));
    const filter = options.filter;
    const types = filter && 'eventTypes' in filter ? JSON.stringify(filter.eventTypes) : null;
    const prefixes = filter && 'streamPrefixes' in filter ? JSON.stringify(filter.streamPrefixes) : null;
    const statement = backwards ? this.statements.allBackwards : this.statements.allForwards;
    const rows = this.reading(() => statement.all({ from, types, prefixes, limit: maxCount }) as EventRow[]);
    const last = rows[rows.length - 1];
    const next = last === undefined ? null : BigInt(last.position) + (backwards ? -1n : 1n);
    const exhausted = rows.length < maxCount || next === null || next < 1n || next > BigInt(head);
    return {
      events: rows.map((row) => toRecorded(row, this.writesChecksums, options.includeDamaged)),
      nextPosition: exhausted ? null : positionFromSequence(next),
    };
  }

  override get checksums(): boolean {
    return this.writesChecksums;
  }

  override parsePosition(text: string): Position {
    return parseSequencePosition(text);
  }

  /** Copies the whole file (events, read models, checkpoints) online, then verifies the copy (`backupDatabase`). */
  override async backupTo(file: string): Promise<BackupResult> {
    this.hold.assertOpen();
    return backupDatabase(this.db, file, (filename) => SqliteEventStore.open({ filename }));
  }

  /** Row ids are max + 1 and Strata never deletes an event, so a gap is a lost row. */
  override get gaplessPositions(): boolean {
    return true;
  }

  /** SQLite's full integrity check of the file: every page, index and constraint. */
  override async checkStorage(): Promise<readonly string[]> {
    this.hold.assertOpen();
    let lines: string[];
    try {
      lines = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    } catch (error) {
      // Damage bad enough stops the check itself: that is its finding.
      if (!isSqliteError(error) || !/^SQLITE_(CORRUPT|NOTADB)/.test(error.code)) throw sqliteFault(error, this.db.name) ?? error;
      lines = [`integrity_check could not finish: ${error.code}: ${error.message}`];
    }
    return Promise.resolve(lines.length === 1 && lines[0] === 'ok' ? [] : lines);
  }

  /** Runs a read; a damaged page becomes STORE_CORRUPTED (and a lock, STORE_BUSY) instead of a bare driver error. */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw sqliteFault(error, this.db.name) ?? error;
    }
  }

  override async close(): Promise<void> {
    this.hold.close();
    await Promise.resolve();
  }
}

/** Rolls the optimistic append back so the ids are looked up; never leaves the store. */
class NeedsIdLookup extends Error {}

/** The driver's error for a second row with an event id already stored. */
function isDuplicateEventId(error: unknown): boolean {
  return isSqliteError(error) && error.code === 'SQLITE_CONSTRAINT_UNIQUE' && error.message.includes('strata_events.event_id');
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
      'INSERT INTO strata_events (stream_id, revision, event_id, type, data, metadata, created_at, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
