import type { DocumentCollection } from '../documents/document-store';
import type { AnyDocument, BaseDocument } from '../documents/document-types';
import type { Event, RecordedEvent } from '../events/event';

/** What a projection's `handle` may use: its own collections, inside the batch's unit of work. */
export interface ProjectionContext {
  /** One of the collections the projection declared; its writes commit with the checkpoint. */
  collection<T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T>;
}

/**
 * A projection folds events into documents. `handle` must be idempotent for an event it has
 * already applied (guard on the stream revision or the position), because delivery is at
 * least once on every store.
 */
export interface ProjectionHandler<E extends Event = Event> {
  handle(event: RecordedEvent<E>, ctx: ProjectionContext): Promise<void>;
}
