import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  jsonEvent,
  type AppendResult as AppendResult$,
  type EventData,
  type AllStreamRecordedEvent,
  type KurrentDBClient,
  type ReadStreamOptions as ClientReadStreamOptions,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { Logger, type LoggerService } from '@nestjs/common';
import { EventStore, StrataError, comparePositions, type AppendOptions, type AppendResult, type Event, type EventToAppend, type Position, type ReadAllOptions, type ReadAllPage, type ReadStreamOptions, type RecordedEvent } from '@strata/core';
import { StreamNotFoundError, WrongExpectedRevisionError, DEFAULT_PAGE_SIZE, resolveRepeatedAppend, validateAppendInput } from '@strata/core/adapter';
import { toStreamState } from './expected-state';
import { isMissingStream, isWrongExpectedVersion, storeError, toWrongExpectedRevision } from './kurrentdb-errors';
import { lookUpEventIds, type EventIdLookup } from './event-id-lookup';
import { decodePosition, encodePosition, parseKurrentDbPosition } from './kurrentdb-position';
import { LiveAppends } from './live-appends';
import { buildServerFilter } from './read-all-filter';
import { checksummedMetadata, toRecordedEvent } from './recorded-event';
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
/** How often an exact-once append searches again after the stream moved under it. */
const EXACT_APPEND_ATTEMPTS = 10;
const SKIPPED_REMEMBERED = 1000;

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
  /** Foreign events already warned about, so a poll does not repeat the warning. */
  private readonly skipped = new Set<string>();

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
    const data = events.map((event) => {
      const id = event.id ?? randomUUID();
      return jsonEvent({ id, type: event.type, data: event.data, metadata: checksummedMetadata(streamId, id, event) });
    });
    const givenIds = events.every((event) => event.id !== undefined) ? events.map((event) => event.id as string) : null;
    // The server's idempotence is exact for an exact revision or 'no_stream', but only best effort
    // (an in-memory cache a restart loses) for 'any' and 'stream_exists': those become exact here.
    if (givenIds && (expected === 'any' || expected === 'stream_exists')) return this.appendOnce(name, streamId, expected, givenIds, data);
    try {
      // A repeat of the same ids at the same exact revision is answered with the first write's result.
      return await this.settle(name, streamId, await this.client.appendToStream(name, data, { streamState: toStreamState(expected) }), data.length);
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw storeError(error, `append to '${streamId}'`, streamId);
      // A conflict may still be a repeat at another revision (refused) or a partial one (a duplicate id).
      if (givenIds) {
        const seen = await this.lookup(name, streamId, givenIds);
        resolveRepeatedAppend(streamId, expected, givenIds, givenIds.map((id) => seen.found.get(id)), seen.current);
      }
      throw toWrongExpectedRevision(error, streamId, expected);
    }
  }

  /**
   * Appends events that carry ids exactly once, whatever the stream holds: the whole stream is
   * searched for the ids (newest first, so a recent repeat costs one small read), and the
   * append then expects the revision that search saw. A write in between is a conflict, and
   * the search runs again; so no window, cache or restart can let a repeat append twice.
   */
  private async appendOnce(name: string, streamId: string, expected: 'any' | 'stream_exists', ids: readonly string[], data: EventData[]): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const seen = await this.lookup(name, streamId, ids);
      const repeat = resolveRepeatedAppend(streamId, expected, ids, ids.map((id) => seen.found.get(id)), seen.current);
      if (repeat) return repeat;
      if (expected === 'stream_exists' && seen.current < 0n) throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
      try {
        const streamState = seen.current < 0n ? NO_STREAM : seen.current;
        return await this.settle(name, streamId, await this.client.appendToStream(name, data, { streamState }), data.length);
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw storeError(error, `append to '${streamId}'`, streamId);
        if (attempt >= EXACT_APPEND_ATTEMPTS) throw toWrongExpectedRevision(error, streamId, expected);
      }
    }
  }

  /**
   * The result of a successful append. The answer carries the transaction's position, which is
   * the event's own for a single event; for several, the last event's position (what reads and
   * checkpoints compare against) is read back from the leader, where it is sure to be.
   */
  private async settle(name: string, streamId: string, answer: AppendResult$, count: number): Promise<AppendResult> {
    const nextRevision = answer.nextExpectedRevision;
    let position = count === 1 && answer.position ? encodePosition(answer.position) : null;
    if (position === null) {
      const [last] = await this.slice(name, streamId, { fromRevision: nextRevision, maxCount: 1, direction: FORWARDS, requiresLeader: true });
      if (!last) throw storeError(new Error(`revision ${nextRevision} was not readable after the append`), `read back '${streamId}'`, streamId);
      position = last.position;
    }
    this.announce(position);
    return { nextRevision, position };
  }

  /** Looks an event id up through the whole stream, newest first, in pages that grow. */
  override async findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    this.assertOpen();
    return (await this.lookup(this.namespace.qualify(streamId), streamId, [eventId])).found.get(eventId) as RecordedEvent<E> | undefined;
  }

  /** The newest event of the log the reads see (a foreign one included), or null when there is none. */
  override async headPosition(): Promise<Position | null> {
    this.assertOpen();
    // A damaged newest event still has a position.
    const [newest] = await this.readAllRaw(END, 1, true, { includeDamaged: true });
    return newest?.position ?? null;
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
        // From the leader: a follower behind it would hand a command an old state to decide on.
        const reads = this.client.readStream(name, { fromRevision: from, maxCount: Math.min(remaining, STREAM_PAGE), direction: backwards ? BACKWARDS : FORWARDS, requiresLeader: true });
        for await (const resolved of reads) if (resolved.event) page.push(toRecordedEvent(resolved.event, streamId));
      } catch (error) {
        if (isMissingStream(error)) {
          if (first) throw new StreamNotFoundError(streamId);
          return;
        }
        throw storeError(error, `read '${streamId}'`, streamId);
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

  /** A CRC-32 in each event's metadata (`strataChecksum`), verified on every read. */
  override get checksums(): boolean {
    return true;
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

  private lookup(name: string, streamId: string, ids: readonly string[]): Promise<EventIdLookup> {
    return lookUpEventIds((options) => this.slice(name, streamId, { ...options, requiresLeader: true }), ids);
  }

  private async slice(name: string, streamId: string, options: ClientReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(name, options)) if (resolved.event) events.push(toRecordedEvent(resolved.event, streamId));
    } catch (error) {
      if (!isMissingStream(error)) throw storeError(error, `read '${streamId}'`, streamId);
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
        if (event) entries.push({ position: encodePosition(event.position), event: accepts(event.type, event.streamId) ? this.toStrata(event, options.includeDamaged) : null });
      }
    } catch (error) {
      throw StrataError.isStrataError(error) ? error : storeError(error, 'read $all');
    }
    return entries;
  }

  /** The entry exactly at `position`, if the filter passes it, as a one-element list; else []. */
  private async entryAt(position: Position, options: ReadAllOptions): Promise<LogEntry[]> {
    const [entry] = await this.readAllRaw(decodePosition(position), 1, false, options);
    return entry?.position === position ? [entry] : [];
  }

  /**
   * An event of the log as Strata's, or null for another application's event that is not JSON:
   * such an event is left out (with a warning), never allowed to stop every reader of the log.
   */
  private toStrata(event: AllStreamRecordedEvent, includeDamaged = false): RecordedEvent | null {
    try {
      return toRecordedEvent(event, this.namespace.unqualify(event.streamId) ?? event.streamId, includeDamaged);
    } catch (error) {
      if (!StrataError.isStrataError(error) || error.code !== 'INVALID_EVENT') throw error;
      if (this.skipped.size < SKIPPED_REMEMBERED && !this.skipped.has(event.id)) {
        this.skipped.add(event.id);
        this.logger.warn(`Skipped event ${event.id} (${event.type}) of '${event.streamId}' at ${encodePosition(event.position)} in every read of the log: ${error.message}`);
      }
      return null;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', 'The KurrentDB event store is closed; the app is shutting down.');
  }
}
