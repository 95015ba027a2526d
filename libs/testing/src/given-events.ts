import { comparePositions, type Event, type RecordedEvent } from '@strata/core';
import { positionFromSequence } from '@strata/core/adapter';
import { deepFreeze, printValue } from './format';
import { SpecificationFailedError } from './specification-failed-error';

/**
 * An event a projection specification is given: `{ type, data }`, plus any recorded fields the
 * projection depends on (a `streamId`, say). The specification fills in the rest.
 */
export type GivenEvent<R = RecordedEvent> = R extends RecordedEvent
  ? Pick<R, 'type' | 'data'> & Partial<Omit<R, 'type' | 'data'>>
  : never;

/** Any given event, whatever its type and data. */
export type AnyGivenEvent = GivenEvent<RecordedEvent>;

/** A given event with every recorded field filled in, keeping its type and data types. */
export type RecordedGivenEvent<G extends AnyGivenEvent> = G extends AnyGivenEvent ? RecordedEvent<Event<G['type'], G['data']>> : never;

/** The stream a given event belongs to when it names none. */
export const DEFAULT_GIVEN_STREAM = 'test-1';

/** When the first given event was recorded; each next one is one second later. */
export const GIVEN_EVENTS_START = new Date('2026-01-01T00:00:00.000Z');

/**
 * Completes given events deterministically, so expected documents can spell out positions and
 * dates: the i-th event (from 1) is at `positionFromSequence(i)`, recorded i-1 seconds after
 * `GIVEN_EVENTS_START`, with revisions counted per stream from 0. Given fields are kept, so an
 * event recorded here can be given again later in the list to model a redelivery.
 */
export function recordGivenEvents<G extends AnyGivenEvent>(events: readonly G[]): RecordedGivenEvent<G>[] {
  const recorder = new GivenEventRecorder();
  return events.map((event) => recorder.record(event));
}

/**
 * `recordGivenEvents` one event at a time, for specifications that interleave given events with
 * events they make up themselves (a saga's timeouts and command failures), all in one sequence.
 */
export class GivenEventRecorder {
  private readonly nextRevision = new Map<string, bigint>();
  private readonly positionById = new Map<string, RecordedEvent['position']>();
  private latest: RecordedEvent | undefined;
  private count = 0;

  /** Completes the next event in the sequence and checks that its position comes after the last. */
  record<G extends AnyGivenEvent>(event: G): RecordedGivenEvent<G> {
    const index = this.count++;
    const streamId = event.streamId ?? DEFAULT_GIVEN_STREAM;
    const revision = event.revision ?? this.nextRevision.get(streamId) ?? 0n;
    this.nextRevision.set(streamId, revision + 1n);
    const recorded = deepFreeze({
      id: event.id ?? givenEventId(index),
      type: event.type,
      data: event.data,
      streamId,
      revision,
      position: event.position ?? positionFromSequence(index + 1),
      metadata: event.metadata ?? {},
      createdAt: event.createdAt ?? new Date(GIVEN_EVENTS_START.getTime() + index * 1000),
    }) as RecordedGivenEvent<G>;
    this.assertIncreasingPosition(recorded, index);
    return recorded;
  }

  // Positions only increase, except when an event is delivered again: then it keeps the position
  // it had, the way a store redelivers a batch whose checkpoint was lost.
  private assertIncreasingPosition(event: RecordedEvent, index: number): void {
    const where = `Given event #${index + 1} (${event.type}, id ${event.id}) is at position ${printValue(event.position)}`;
    const earlier = this.positionById.get(event.id);
    if (earlier !== undefined) {
      if (earlier === event.position) return;
      throw new SpecificationFailedError(
        `${where}, but the same id was given at ${printValue(earlier)}. A redelivered event keeps its position: give it again as recorded.`,
      );
    }
    if (this.latest && comparePositions(this.latest.position, event.position) >= 0) {
      throw new SpecificationFailedError(
        `${where}, not after ${printValue(this.latest.position)} of the event before it. Positions must increase; ` +
          'leave them out to have them numbered, or repeat an event recorded by recordGivenEvents to redeliver it.',
      );
    }
    this.positionById.set(event.id, event.position);
    this.latest = event;
  }
}

// A UUID-shaped id that names the event's place in the given list, so a failure is easy to trace.
function givenEventId(index: number): string {
  return `00000000-0000-4000-8000-${(index + 1).toString(16).padStart(12, '0')}`;
}
