import type { Event, EventToAppend, RecordedEvent } from '../events/event';
import type { Upcasters } from '../events/upcasters';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type BackupResult,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
} from './event-store';
import { damageOf, isUnchecked, markUnchecked } from './damaged-events';
import type { Position } from './position';

/** Wraps a store so every event read is lifted to its newest schema version. */
export class UpcastingEventStore extends EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly upcasters: Upcasters,
  ) {
    super();
  }

  override appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  override async *readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): AsyncIterable<RecordedEvent<E>> {
    for await (const event of this.inner.readStream<E>(streamId, options)) yield this.upcasters.upcast(event);
  }

  override async findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    const event = await this.inner.findEvent<E>(streamId, eventId);
    return event && this.upcasters.upcast(event);
  }

  override async readAll(options?: ReadAllOptions): Promise<ReadAllPage> {
    const page = await this.inner.readAll(options);
    // A damaged event is passed on as read: an upcaster must not see, or hide, what is wrong with it.
    return { ...page, events: page.events.map((event) => (damageOf(event) ? event : this.upcastKeepingMarks(event))) };
  }

  /** An unverified (legacy) event stays marked so after an upcaster copied it. */
  private upcastKeepingMarks(event: RecordedEvent): RecordedEvent {
    const upcast = this.upcasters.upcast(event);
    return upcast !== event && isUnchecked(event) ? markUnchecked(upcast) : upcast;
  }

  override get checksums(): boolean {
    return this.inner.checksums;
  }

  override get gaplessPositions(): boolean {
    return this.inner.gaplessPositions;
  }

  override backupTo(file: string): Promise<BackupResult> {
    return this.inner.backupTo(file);
  }

  override checkStorage(): Promise<readonly string[] | null> {
    return this.inner.checkStorage();
  }

  override parsePosition(text: string): Position {
    return this.inner.parsePosition(text);
  }

  override close(): Promise<void> {
    return this.inner.close();
  }

  override headPosition(): Promise<Position | null> {
    return this.inner.headPosition();
  }

  override eventsBetween(from: Position | null, to: Position | null): number | null {
    return this.inner.eventsBetween(from, to);
  }

  override onAppended(listener: (position: Position) => void): () => void {
    return this.inner.onAppended(listener);
  }
}
