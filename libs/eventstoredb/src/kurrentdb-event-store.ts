import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  jsonEvent,
  type AllStreamRecordedEvent,
  type KurrentDBClient,
  type ReadStreamOptions as ClientReadStreamOptions,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { Logger, type LoggerService } from '@nestjs/common';
import { EventStore, StrataError, StreamNotFoundError, comparePositions, type AppendOptions, type AppendResult, type Event, type EventToAppend, type Position, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions, type RecordedEvent } from '@strata/core';
import { DEFAULT_PAGE_SIZE, validateAppendInput } from '@strata/core/adapter';
import { toStreamState } from './expected-state';
import { isMissingStream, isWrongExpectedVersion, toWrongExpectedRevision, unavailable } from './kurrentdb-errors';
import { decodePosition, encodePosition, parseKurrentDbPosition } from './kurrentdb-position';
import { LiveAppends } from './live-appends';
import { buildServerFilter } from './read-all-filter';
import { toRecordedEvent } from './recorded-event';
import { findRepeat, REPEAT_WINDOW } from './repeated-append';
import type { ResubscribeBackoff } from './resubscribe-backoff';
import { StreamNamespace } from './stream-namespace';

/** Options of `KurrentDbEventStore`. */
export interface KurrentDbEventStoreOptions {
  /** Prefixed to every stream name, so stores sharing a server stay apart (a test run, a tenant). */
  readonly namespace?: string;
  readonly logger?: LoggerService;
  readonly resubscribe?: ResubscribeBackoff;
}

const STREAM_PAGE = 500;

/** One event of `$all` as read: its position, and the event unless the client-side check refused it. */
interface LogEntry {
  readonly position: Position;
  readonly event: RecordedEvent | null;
}

/**
 * The event store on KurrentDB / EventStoreDB 20+ through `@kurrent/kurrentdb-client`.
 * Expected revisions and event ids map onto the server's own optimistic concurrency and
 * idempotent writes; every read is bounded by `maxCount`; `readAll` filters server-side and
 * leaves system events out. Positions are `{ commit, prepare }` as 32 hex digits.
 */
export class KurrentDbEventStore extends EventStore {
  private readonly namespace: StreamNamespace;
  private readonly logger: LoggerService;
  private readonly live: LiveAppends;
  private listeners = 0;
  private highestAnnounced: Position | null = null;
  private closed = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    super();
    this.namespace = new StreamNamespace(options.namespace);
    this.logger = options.logger ?? new Logger('KurrentDB');
    this.live = new LiveAppends(client, buildServerFilter(undefined, this.namespace), (position) => this.announce(position), this.logger, options.resubscribe);
  }

  override async appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    validateAppendInput(streamId, events);
    const expected = options.expectedRevision ?? 'any';
    const name = this.namespace.qualify(streamId);
    const data = events.map((event) =>
      jsonEvent({ id: event.id ?? randomUUID(), type: event.type, data: event.data, metadata: { ...event.metadata } }),
    );
    const givenIds = events.every((event) => event.id !== undefined) ? events.map((event) => event.id as string) : null;
    // The server's idempotence is exact for an exact revision or 'no_stream', but best effort
    // for 'any' and 'stream_exists'; there, a repeat is recognised before writing.
    if (givenIds && (expected === 'any' || expected === 'stream_exists')) {
      const repeat = findRepeat(streamId, expected, givenIds, await this.recent(name, streamId));
      if (repeat) return repeat;
    }
    let nextRevision: bigint;
    try {
      // A repeat of the same ids at the same exact revision is answered with the first write's result.
      nextRevision = (await this.client.appendToStream(name, data, { streamState: toStreamState(expected) })).nextExpectedRevision;
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw unavailable(error, `append to '${streamId}'`);
      // A conflict may still be a repeat at another revision (refused) or a partial one (a duplicate id).
      if (givenIds) findRepeat(streamId, expected, givenIds, await this.recent(name, streamId));
      throw toWrongExpectedRevision(error, streamId, expected);
    }
    // The append's answer carries the transaction's position, not necessarily the last event's;
    // the last event's own position is what reads and checkpoints compare against.
    const [last] = await this.tail(name, streamId, nextRevision, 1);
    if (!last) throw unavailable(new Error(`revision ${nextRevision} was not readable after the append`), `read back '${streamId}'`);
    this.announce(last.position);
    return { nextRevision, position: last.position };
  }

  override async *readStream<E extends Event = Event>(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent<E>> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let from: bigint | typeof START | typeof END = options.fromRevision ?? (backwards ? END : START);
    let first = true;
    const name = this.namespace.qualify(streamId);
    while (remaining > 0) {
      const page: RecordedEvent[] = [];
      try {
        const reads = this.client.readStream(name, { fromRevision: from, maxCount: Math.min(remaining, STREAM_PAGE), direction: backwards ? BACKWARDS : FORWARDS });
        for await (const resolved of reads) if (resolved.event) page.push(toRecordedEvent(resolved.event, streamId));
      } catch (error) {
        if (isMissingStream(error)) {
          if (first) throw new StreamNotFoundError(streamId);
          return;
        }
        throw unavailable(error, `read '${streamId}'`);
      }
      first = false;
      for (const event of page) yield event as RecordedEvent<E>;
      const last = page[page.length - 1];
      if (!last || page.length < Math.min(remaining, STREAM_PAGE)) return;
      remaining -= page.length;
      if (backwards && last.revision === 0n) return;
      from = last.revision + (backwards ? -1n : 1n);
    }
  }

  override async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.assertOpen();
    const maxCount = options.maxCount ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(maxCount) || maxCount < 1) {
      throw new StrataError('INVALID_READ', `maxCount must be a positive integer; got ${String(maxCount)}.`);
    }
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition;
    // One more than asked: the extra entry, if any, is where the next page starts.
    let entries = await this.readAllRaw(from === undefined ? (backwards ? END : START) : decodePosition(from), maxCount + 1, backwards, options);
    if (from !== undefined && backwards) {
      // fromPosition is inclusive in Strata, while a backwards read on the server starts before it.
      entries = [...(await this.entryAt(from, options)), ...entries.filter((entry) => comparePositions(entry.position, from) < 0)];
    }
    // Entries the client-side check refused still count towards the page, so a full page of
    // them is not mistaken for the end of the log.
    const cut = entries[maxCount];
    const events = entries.slice(0, maxCount).flatMap((entry) => (entry.event ? [entry.event] : []));
    return { events, nextPosition: cut ? cut.position : null };
  }

  override parsePosition(text: string): Position {
    return parseKurrentDbPosition(text);
  }

  /** KurrentDB positions are byte offsets in the log, so they do not count events. */
  override eventsBetween(_from: Position | null, to: Position | null): number | null {
    return to === null ? 0 : null;
  }

  /** Also hears other processes' appends, through a live `subscribeToAll` while anyone listens. */
  override onAppended(listener: (position: Position) => void): () => void {
    const unsubscribe = super.onAppended(listener);
    this.listeners += 1;
    if (this.listeners === 1 && !this.closed) this.live.start();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      unsubscribe();
      this.listeners -= 1;
      if (this.listeners === 0) void this.live.stop();
    };
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.live.stop();
    await this.client.dispose();
  }

  /** Tells listeners once per position: an append's answer and the live subscription may both report it. */
  private announce(position: Position): void {
    if (this.highestAnnounced !== null && comparePositions(position, this.highestAnnounced) <= 0) return;
    this.highestAnnounced = position;
    this.notifyAppended(position);
  }

  /** Up to `count` events of a stream from revision `from`, forwards; [] when the stream is absent. */
  private tail(name: string, streamId: string, from: bigint, count: number): Promise<RecordedEvent[]> {
    return this.slice(name, streamId, { fromRevision: from, maxCount: count, direction: FORWARDS });
  }

  /** The newest `REPEAT_WINDOW` events of a stream, newest first; [] when the stream is absent. */
  private recent(name: string, streamId: string): Promise<RecordedEvent[]> {
    return this.slice(name, streamId, { fromRevision: END, maxCount: REPEAT_WINDOW, direction: BACKWARDS });
  }

  private async slice(name: string, streamId: string, options: ClientReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(name, options)) if (resolved.event) events.push(toRecordedEvent(resolved.event, streamId));
    } catch (error) {
      if (!isMissingStream(error)) throw unavailable(error, `read '${streamId}'`);
    }
    return events;
  }

  /** Up to `maxCount` entries of `$all` the server filter passed; `event` is null where the client-side check refused it. */
  private async readAllRaw(fromPosition: ReadPosition, maxCount: number, backwards: boolean, options: ReadAllOptions): Promise<LogEntry[]> {
    const { filter, accepts } = buildServerFilter(options.filter, this.namespace);
    const entries: LogEntry[] = [];
    try {
      const reads = this.client.readAll({ fromPosition, maxCount, direction: backwards ? BACKWARDS : FORWARDS, filter });
      for await (const { event } of reads) {
        if (event) entries.push({ position: encodePosition(event.position), event: accepts(event.type, event.streamId) ? this.toStrata(event) : null });
      }
    } catch (error) {
      throw unavailable(error, 'read $all');
    }
    return entries;
  }

  /** The entry exactly at `position`, if the filter passes it, as a one-element list; else []. */
  private async entryAt(position: Position, options: ReadAllOptions): Promise<LogEntry[]> {
    const [entry] = await this.readAllRaw(decodePosition(position), 1, false, options);
    return entry?.position === position ? [entry] : [];
  }

  private toStrata(event: AllStreamRecordedEvent): RecordedEvent {
    return toRecordedEvent(event, this.namespace.unqualify(event.streamId) ?? event.streamId);
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', 'The KurrentDB event store is closed; the app is shutting down.');
  }
}
