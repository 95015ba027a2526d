import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors/concurrency-errors';
import { StrataError } from '../errors/strata-error';
import type { EventToAppend } from '../events/event';
import type { AppendResult } from './event-store';
import { matchesExpectedRevision, type ExpectedRevision } from './expected-revision';
import type { Position } from './position';

/** What an adapter knows about events that already carry ids being appended. */
export interface StoredEventRef {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
}

/** Rejects input no adapter should store: empty batches, bad ids, non-JSON data. */
export function validateAppendInput(streamId: string, events: readonly EventToAppend[]): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.startsWith('$')) {
    throw new StrataError('INVALID_STREAM_ID', `Stream id '${String(streamId)}' is invalid: use a non-empty id not starting with '$'.`);
  }
  if (events.length === 0) {
    throw new StrataError('EMPTY_APPEND', `Nothing to append to '${streamId}': pass at least one event.`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new StrataError('INVALID_EVENT', `An event for '${streamId}' has no type; every event needs a stable string type.`);
    }
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
      throw new StrataError('INVALID_EVENT', `Event '${event.type}' for '${streamId}' must have a plain object as data.`);
    }
    if (event.id !== undefined) {
      if (ids.has(event.id)) {
        throw new DuplicateEventIdError(streamId, event.id);
      }
      ids.add(event.id);
    }
  }
}

/**
 * Decides whether an append whose ids were all found already is the same append repeated
 * (a no-op returning the first result) or a conflict.
 */
export function resolveRepeatedAppend(
  streamId: string,
  expected: ExpectedRevision,
  ids: readonly string[],
  found: readonly (StoredEventRef | undefined)[],
  currentRevision: bigint,
): AppendResult | undefined {
  const present = found.filter((ref): ref is StoredEventRef => ref !== undefined);
  if (present.length === 0) return undefined;
  const first = found[0];
  const sameAppend =
    present.length === ids.length &&
    first !== undefined &&
    found.every((ref, i) => ref !== undefined && ref.streamId === streamId && ref.revision === first.revision + BigInt(i));
  if (!sameAppend || first === undefined) {
    throw new DuplicateEventIdError(streamId, (present[0] as StoredEventRef).id);
  }
  const revisionBefore = first.revision - 1n;
  const expectedHeld =
    expected === 'any' ||
    (expected === 'stream_exists' && currentRevision >= 0n) ||
    (expected === 'no_stream' && revisionBefore === -1n) ||
    expected === revisionBefore;
  if (!expectedHeld) {
    throw new WrongExpectedRevisionError(streamId, expected, currentRevision < 0n ? 'no_stream' : currentRevision);
  }
  const last = found[found.length - 1] as StoredEventRef;
  return { nextRevision: last.revision, position: last.position };
}

/** Throws when the stream is not where the writer expects it. */
export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, current: bigint): void {
  if (!matchesExpectedRevision(expected, current)) {
    throw new WrongExpectedRevisionError(streamId, expected, current < 0n ? 'no_stream' : current);
  }
}
