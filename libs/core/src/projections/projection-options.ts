import type { IndexKeys, IndexOptions } from '../documents/document-types';
import type { RecordedEvent } from '../events/event';

/** An index a projection declares on one of its collections; created before the projection runs. */
export interface IndexDeclaration {
  readonly keys: IndexKeys;
  readonly options?: IndexOptions;
}

/** A collection a projection owns, and the indexes its queries need. */
export interface CollectionDeclaration {
  readonly indexes?: readonly IndexDeclaration[];
}

/** What `@Projection` declares about a read model. */
export interface ProjectionOptions {
  /** Stable and unique within the app: it names the checkpoint, the lease and parked events. */
  readonly name: string;
  /** Bump it when `handle` changes what it writes; the read model is then rebuilt. */
  readonly version: number;
  /**
   * The collections the projection writes, each written by this projection only. Read-your-writes
   * and rebuilds go by this list, so `ctx.collection` refuses any other name.
   */
  readonly collections: Readonly<Record<string, CollectionDeclaration>>;
  /** The event types `handle` receives; every type when omitted. */
  readonly events?: readonly string[];
  /**
   * The ordering key of an event, its stream id when omitted. Once an event is parked, later
   * events with the same key are parked behind it and a retry applies them in order; other keys
   * go on. Give a wider key when one document folds events of several streams (a customer's
   * accounts, say). It must be pure; if it throws, the event's stream id stands in.
   */
  readonly partitionKey?: (event: RecordedEvent) => string;
}
