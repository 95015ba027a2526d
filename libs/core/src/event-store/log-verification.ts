import { StrataError } from '../errors/strata-error';
import type { RecordedEvent } from '../events/event';
import { damageOf } from './damaged-events';
import type { EventStore } from './event-store';
import { isSequencePosition, positionFromSequence, sequenceFromPosition, type Position } from './position';

/** One thing wrong with the log: at a position, or (from the storage check) in the file. */
export interface LogProblem {
  /** Null for a problem the storage check found, which names pages rather than events. */
  readonly position: Position | null;
  readonly streamId?: string;
  readonly revision?: bigint;
  readonly reason: string;
}

/** What `verifyLog` found. */
export interface LogVerification {
  readonly events: number;
  readonly streams: number;
  readonly problems: readonly LogProblem[];
  /** Whether the store ran its own storage check (SQLite's integrity_check); false where it has none. */
  readonly storageChecked: boolean;
}

export interface VerifyLogOptions {
  /** Called after every page with the events read so far and the total, when the store counts them. */
  readonly onProgress?: (done: number, total: number | null) => void;
  readonly pageSize?: number;
}

/** Unreadable positions probed one by one past a damaged page before the scan gives up on the rest. */
const MAX_PROBES = 100_000;

/**
 * Reads the whole log and reports every damaged event (checksum or JSON), every break in a
 * stream's revisions (a missing, repeated or out-of-order revision), every position a damaged
 * page makes unreadable, and what the store's own storage check finds. Works on any store.
 */
export async function verifyLog(events: EventStore, options: VerifyLogOptions = {}): Promise<LogVerification> {
  const pageSize = options.pageSize ?? 1000;
  const head = await events.headPosition();
  const total = events.eventsBetween(null, head);
  const problems: LogProblem[] = [];
  const revisions = new Map<string, bigint>();
  let done = 0;
  let from: Position | undefined;
  for (;;) {
    let page;
    try {
      page = await events.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: pageSize, includeDamaged: true });
    } catch (error) {
      if (!isStoreDamage(error) || (from !== undefined && !isSequencePosition(from))) throw error;
      // A damaged page fails every read that crosses it: go through one event at a time.
      const stepped = await stepPastDamage(events, from ?? positionFromSequence(1), head, problems, error, (event) => check(event, revisions, problems));
      done += stepped.read;
      options.onProgress?.(done, total);
      if (stepped.next === undefined) break;
      from = stepped.next;
      continue;
    }
    for (const event of page.events) check(event, revisions, problems);
    done += page.events.length;
    options.onProgress?.(done, total);
    if (page.nextPosition === null) break;
    from = page.nextPosition;
  }
  const storage = await events.checkStorage();
  for (const line of storage ?? []) problems.push({ position: null, reason: `storage check: ${line}` });
  return { events: done, streams: revisions.size, problems, storageChecked: storage !== null };
}

function check(event: RecordedEvent, revisions: Map<string, bigint>, problems: LogProblem[]): void {
  const where = { position: event.position, streamId: event.streamId, revision: event.revision };
  const damage = damageOf(event);
  if (damage) problems.push({ ...where, reason: damage.damage.reason });
  const previous = revisions.get(event.streamId);
  const expected = previous === undefined ? 0n : previous + 1n;
  if (event.revision !== expected) {
    const reason =
      event.revision > expected
        ? `revision ${event.revision} follows ${previous ?? 'nothing'}: revisions ${expected}..${event.revision - 1n} are missing`
        : `revision ${event.revision} comes after revision ${previous}: a repeated or out-of-order revision`;
    problems.push({ ...where, reason });
  }
  if (previous === undefined || event.revision > previous) revisions.set(event.streamId, event.revision);
}

/**
 * Reads one event at a time from `start`, recording each position that cannot be read, until it
 * has read an event past the damage (the caller goes on from the next position in pages) or
 * passed the head (undefined). The readable events on the way go to `take`.
 */
async function stepPastDamage(
  events: EventStore,
  start: Position,
  head: Position | null,
  problems: LogProblem[],
  first: unknown,
  take: (event: RecordedEvent) => void,
): Promise<{ next: Position | undefined; read: number }> {
  const last = head === null ? 0n : sequenceFromPosition(head);
  let passedDamage = false;
  let read = 0;
  let cause = first;
  for (let sequence = sequenceFromPosition(start), probes = 0; sequence <= last; probes++) {
    const position = positionFromSequence(sequence);
    if (probes >= MAX_PROBES) {
      problems.push({ position, reason: `the scan stopped here after ${MAX_PROBES} reads one by one past damaged pages (${messageOf(cause)})` });
      return { next: undefined, read };
    }
    let event: RecordedEvent | undefined;
    try {
      event = (await events.readAll({ fromPosition: position, maxCount: 1, includeDamaged: true })).events[0];
    } catch (error) {
      if (!isStoreDamage(error)) throw error;
      cause = error;
      passedDamage = true;
      problems.push({ position, reason: 'unreadable: the page holding it is damaged' });
      sequence += 1n;
      continue;
    }
    if (event === undefined) return { next: undefined, read };
    take(event);
    read += 1;
    sequence = sequenceFromPosition(event.position) + 1n;
    if (passedDamage) return { next: sequence > last ? undefined : positionFromSequence(sequence), read };
  }
  return { next: undefined, read };
}

function isStoreDamage(error: unknown): boolean {
  return StrataError.isStrataError(error) && error.code === 'STORE_CORRUPTED';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
