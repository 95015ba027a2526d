import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, StreamNotFoundError } from '../errors/concurrency-errors';
import type { Event, EventToAppend, RecordedEvent } from '../events/event';
import { assertExpectedRevision, resolveRepeatedAppend, validateAppendInput } from './append-validation';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
} from './event-store';
import { matchesFilter, pageBounds } from './read-all-filter';
import { parseSequencePosition, positionFromSequence, type Position } from './position';

/** An event store in process memory, for unit tests. It follows the same contract as the durable ones. */
export class InMemoryEventStore extends EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();

  override async appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    await Promise.resolve();
    validateAppendInput(streamId, events);
    const expected = options.expectedRevision ?? 'any';
    const stream = this.streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n;
    if (events.every((event) => event.id !== undefined)) {
      const ids = events.map((event) => event.id as string);
      const repeated = resolveRepeatedAppend(streamId, expected, ids, ids.map((id) => this.byId.get(id)), current);
      if (repeated) return repeated;
    }
    assertExpectedRevision(streamId, expected, current);
    const taken = events.find((event) => event.id !== undefined && this.byId.has(event.id));
    if (taken?.id !== undefined) throw new DuplicateEventIdError(streamId, taken.id);
    const createdAt = new Date();
    for (const event of events) {
      const recorded: RecordedEvent = {
        id: event.id ?? randomUUID(),
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
        streamId,
        revision: BigInt(stream.length),
        position: positionFromSequence(this.log.length + 1),
        metadata: JSON.parse(JSON.stringify(event.metadata ?? {})) as Record<string, unknown>,
        createdAt,
      };
      stream.push(recorded);
      this.log.push(recorded);
      this.byId.set(recorded.id, recorded);
    }
    this.streams.set(streamId, stream);
    const last = stream[stream.length - 1] as RecordedEvent;
    this.notifyAppended(last.position);
    return { nextRevision: last.revision, position: last.position };
  }

  override async *readStream<E extends Event = Event>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent<E>> {
    await Promise.resolve();
    const stream = this.streams.get(streamId);
    if (!stream) throw new StreamNotFoundError(streamId);
    const backwards = options.direction === 'backwards';
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let index = options.fromRevision === undefined ? (backwards ? stream.length - 1 : 0) : Number(options.fromRevision);
    for (let yielded = 0; yielded < max && index >= 0 && index < stream.length; yielded++) {
      yield copy(stream[index] as RecordedEvent) as RecordedEvent<E>;
      index += backwards ? -1 : 1;
    }
  }

  override async findEvent<E extends Event = Event>(streamId: string, eventId: string): Promise<RecordedEvent<E> | undefined> {
    await Promise.resolve();
    const event = this.byId.get(eventId);
    return event?.streamId === streamId ? (copy(event) as RecordedEvent<E>) : undefined;
  }

  override async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    await Promise.resolve();
    const { backwards, maxCount, from } = pageBounds(options, BigInt(this.log.length));
    const events: RecordedEvent[] = [];
    let sequence = from;
    for (; sequence >= 1n && sequence <= BigInt(this.log.length) && events.length < maxCount; sequence += backwards ? -1n : 1n) {
      const event = this.log[Number(sequence) - 1] as RecordedEvent;
      if (matchesFilter(options.filter, event.type, event.streamId)) events.push(copy(event));
    }
    const exhausted = backwards ? sequence < 1n : sequence > BigInt(this.log.length);
    return { events, nextPosition: exhausted ? null : positionFromSequence(sequence) };
  }

  override parsePosition(text: string): Position {
    return parseSequencePosition(text);
  }

  override async headPosition(): Promise<Position | null> {
    await Promise.resolve();
    return this.log[this.log.length - 1]?.position ?? null;
  }

  override async close(): Promise<void> {
    await Promise.resolve();
  }
}

// Readers get their own copies, as they would from a durable store.
function copy(event: RecordedEvent): RecordedEvent {
  return {
    ...event,
    data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
    metadata: JSON.parse(JSON.stringify(event.metadata)) as Record<string, unknown>,
    createdAt: new Date(event.createdAt.getTime()),
  };
}
