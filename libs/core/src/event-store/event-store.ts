import { StreamNotFoundError } from '../errors/concurrency-errors';
import { StrataError } from '../errors/strata-error';
import type { Event, EventToAppend, RecordedEvent } from '../events/event';
import type { ExpectedRevision } from './expected-revision';
import { isSequencePosition, sequenceFromPosition, type Position } from './position';

export interface AppendOptions {
  /** Defaults to 'any'. */
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event written: the stream's revision after the append. */
  readonly nextRevision: bigint;
  /** The global position of the last event written. */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the first revision forwards, the last backwards. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: Direction;
}

/** Server-side filter for `readAll`: exact event types, or stream id prefixes. */
export type ReadAllFilter = { readonly eventTypes: readonly string[] } | { readonly streamPrefixes: readonly string[] };

export interface ReadAllOptions {
  /** Inclusive. Defaults to the start forwards, the end backwards. */
  readonly fromPosition?: Position;
  /** Page size; required so no read is unbounded. Defaults to 1000. */
  readonly maxCount?: number;
  readonly direction?: Direction;
  readonly filter?: ReadAllFilter;
  /**
   * When true, an event that fails its integrity check is returned marked (`damageOf` names the
   * error) so a subscriber can park it and go on; by default such an event fails the read with
   * `EventIntegrityError`.
   */
  readonly includeDamaged?: boolean;
}

/** What `EventStore.backupTo` wrote. */
export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  /** Events in the copy, every one of them verified. */
  readonly events: number;
}

export interface ReadAllPage {
  readonly events: readonly RecordedEvent[];
  /** Pass as `fromPosition` to read the next page; null when the log has been read to its end. */
  readonly nextPosition: Position | null;
}

/**
 * The event store port. Every adapter passes `describeEventStoreContract`.
 * Reading a stream that does not exist throws `StreamNotFoundError` on iteration.
 */
export abstract class EventStore {
  private readonly appendListeners = new Set<(position: Position) => void>();

  abstract appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options?: AppendOptions,
  ): Promise<AppendResult>;

  abstract readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): AsyncIterable<RecordedEvent<E>>;

  abstract readAll(options?: ReadAllOptions): Promise<ReadAllPage>;

  /** Validates untrusted text as a position of this store. */
  abstract parsePosition(text: string): Position;

  abstract close(): Promise<void>;

  /**
   * The event with id `eventId` if stream `streamId` holds it, else undefined (a missing
   * stream included). This default reads the stream backwards; stores that index event ids
   * override it with a lookup.
   */
  async findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    try {
      for await (const event of this.readStream<E>(streamId, { direction: 'backwards' })) if (event.id === eventId) return event;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  /**
   * Writes an online, consistent copy of the store to `file` while it keeps serving. Stores whose
   * data lives on a server leave this to the server's tools (see README, 'Backup and restore').
   */
  async backupTo(file: string): Promise<BackupResult> {
    await Promise.resolve();
    throw new StrataError(
      'BACKUP_UNSUPPORTED',
      `This event store (${this.constructor.name}) cannot copy itself to '${file}': its data lives on a server. Back it up with the server's own tools (pg_dump for PostgreSQL, a KurrentDB backup of its data folder), as README 'Backup and restore' shows.`,
    );
  }

  /** Whether this store writes a checksum with every event and verifies it on every read (`verifyLog` says so when not). */
  get checksums(): boolean {
    return false;
  }

  /**
   * Whether positions run 1, 2, 3, ... with no gaps, so a missing position means a lost event
   * (`verifyLog` checks it). False by default: PostgreSQL's identity column leaves a gap wherever
   * a transaction rolled back, and KurrentDB positions are byte offsets.
   */
  get gaplessPositions(): boolean {
    return false;
  }

  /**
   * The store's own check of its storage (SQLite: PRAGMA integrity_check), as the problems it
   * found (empty when sound), or null when the store has no such check.
   */
  async checkStorage(): Promise<readonly string[] | null> {
    return Promise.resolve(null);
  }

  /** The position of the newest event in the log, or null when the log is empty. */
  async headPosition(): Promise<Position | null> {
    const page = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return page.events[0]?.position ?? null;
  }

  /**
   * How many events lie after `from` up to and including `to`, or null when this store's
   * positions do not count events. Stores whose positions are sequences count exactly.
   */
  eventsBetween(from: Position | null, to: Position | null): number | null {
    if (to === null) return 0;
    if (!isSequencePosition(to) || (from !== null && !isSequencePosition(from))) return null;
    const gap = sequenceFromPosition(to) - (from === null ? 0n : sequenceFromPosition(from));
    return gap > 0n ? Number(gap) : 0;
  }

  /**
   * Calls `listener` after each append this process makes through this store, so followers
   * wake at once instead of at their next poll. Returns the unsubscribe function.
   */
  onAppended(listener: (position: Position) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Adapters call this after an append commits. A listener's failure never fails the append. */
  protected notifyAppended(position: Position): void {
    for (const listener of this.appendListeners) {
      try {
        listener(position);
      } catch {
        // A follower's bug must not turn a committed append into an error for the writer.
      }
    }
  }
}

export const DEFAULT_PAGE_SIZE = 1000;
