import type { Event, EventToAppend, RecordedEvent } from '../events/event';
import type { ExpectedRevision } from './expected-revision';
import type { Position } from './position';

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
}

export const DEFAULT_PAGE_SIZE = 1000;
