import {
  EventStore,
  InMemoryEventStore,
  type AppendOptions,
  type AppendResult,
  type Event,
  type EventToAppend,
  type Position,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@strata/core';

type Interference = (inner: EventStore) => Promise<void>;

/**
 * A real in-memory store with a hook before appends, so a test can make another writer win
 * the race (or the disk fail) at exactly the moment a command appends.
 */
export class ScriptedEventStore extends EventStore {
  private readonly scripts = new Map<string, { action: Interference; remaining: number }>();

  constructor(readonly inner: EventStore = new InMemoryEventStore()) {
    super();
  }

  /** Runs `action` before each of the next `times` appends to `streamId`. */
  beforeAppend(streamId: string, action: Interference, times = 1): void {
    this.scripts.set(streamId, { action, remaining: times });
  }

  override async appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const script = this.scripts.get(streamId);
    if (script && script.remaining > 0) {
      script.remaining -= 1;
      await script.action(this.inner);
    }
    return this.inner.appendToStream(streamId, events, options);
  }

  override readStream<E extends Event = Event>(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent<E>> {
    return this.inner.readStream<E>(streamId, options);
  }

  override readAll(options?: ReadAllOptions): Promise<ReadAllPage> {
    return this.inner.readAll(options);
  }

  override parsePosition(text: string): Position {
    return this.inner.parsePosition(text);
  }

  override close(): Promise<void> {
    return this.inner.close();
  }
}
