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

/**
 * Stream id prefixes no application stream may use: `$` is the servers' system namespace, and
 * `strata-` holds Strata's own streams (KurrentDB snapshots are `strata-snapshot-<id>`, limited
 * to one event, so a user stream there would lose its history to the scavenger).
 */
export const RESERVED_STREAM_PREFIXES = ['$', 'strata-'] as const;

/** Rejects input no adapter should store: empty batches, bad or reserved ids and types, non-JSON data. */
export function validateAppendInput(streamId: string, events: readonly EventToAppend[]): void {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new StrataError('INVALID_STREAM_ID', `Stream id '${String(streamId)}' is invalid: use a non-empty string such as 'Account-42'.`);
  }
  const reserved = RESERVED_STREAM_PREFIXES.find((prefix) => streamId.startsWith(prefix));
  if (reserved !== undefined) {
    throw new StrataError(
      'INVALID_STREAM_ID',
      `Stream id '${streamId}' starts with '${reserved}', which is reserved (${RESERVED_STREAM_PREFIXES.map((p) => `'${p}'`).join(', ')}) for the server and Strata's own streams. Name streams '<Category>-<id>', e.g. 'Account-42'.`,
    );
  }
  if (events.length === 0) {
    throw new StrataError('EMPTY_APPEND', `Nothing to append to '${streamId}': pass at least one event.`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new StrataError('INVALID_EVENT', `An event for '${streamId}' has no type; every event needs a stable string type.`);
    }
    if (event.type.startsWith('$')) {
      // The servers keep `$` types for system events, which every read of the log leaves out.
      throw new StrataError('INVALID_EVENT', `Event type '${event.type}' for '${streamId}' starts with '$', which is reserved for system events that projections never see; drop the '$'.`);
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

/**
 * What a store decides before it writes, from the events it found under the append's ids: the
 * first result when the append is a repeat, a `DuplicateEventIdError` when only some of its ids
 * are taken, else the expected-revision check; undefined means "write it".
 */
export function checkAppend(
  streamId: string,
  expected: ExpectedRevision,
  events: readonly EventToAppend[],
  lookUp: (id: string) => StoredEventRef | undefined,
  current: bigint,
): AppendResult | undefined {
  const given = events.filter((event) => event.id !== undefined).map((event) => event.id as string);
  if (given.length > 0) {
    const found = given.map(lookUp);
    if (given.length === events.length) {
      const repeated = resolveRepeatedAppend(streamId, expected, given, found, current);
      if (repeated) return repeated;
    } else {
      const taken = found.find((ref) => ref !== undefined);
      if (taken) throw new DuplicateEventIdError(streamId, taken.id);
    }
  }
  assertExpectedRevision(streamId, expected, current);
  return undefined;
}

/** Throws when the stream is not where the writer expects it. */
export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, current: bigint): void {
  if (!matchesExpectedRevision(expected, current)) {
    throw new WrongExpectedRevisionError(streamId, expected, current < 0n ? 'no_stream' : current);
  }
}
