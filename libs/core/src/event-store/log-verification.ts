import { StrataError } from '../errors/strata-error';
import type { RecordedEvent } from '../events/event';
import { damageOf, isUnchecked } from './damaged-events';
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
  /** Whether the store keeps checksums (`EventStore.checksums`); without them none were checked. */
  readonly checksums: boolean;
  /** Events stored without a checksum (written before checksums existed): read, but not verified. */
  readonly unchecked: number;
  /** Whether a gap between positions counted as a problem (stores whose positions have none: `gaplessPositions`). */
  readonly positionsChecked: boolean;
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
 * stream's revisions (a missing, repeated or out-of-order revision), every missing position where
 * the store's positions have no gaps, every position a damaged page makes unreadable, and what
 * the store's own storage check finds. Events without a checksum are counted, not failed. Works on
 * any store.
 */
export async function verifyLog(events: EventStore, options: VerifyLogOptions = {}): Promise<LogVerification> {
  const pageSize = options.pageSize ?? 1000;
  const head = await events.headPosition();
  const total = events.eventsBetween(null, head);
  const scan = new LogScan(events.gaplessPositions);
  const problems = scan.problems;
  let done = 0;
  let from: Position | undefined;
  for (;;) {
    let page;
    try {
      page = await events.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: pageSize, includeDamaged: true });
    } catch (error) {
      if (!isStoreDamage(error) || (from !== undefined && !isSequencePosition(from))) throw error;
      // A damaged page fails every read that crosses it: go through one event at a time.
      const stepped = await stepPastDamage(events, from ?? positionFromSequence(1), head, scan, error);
      done += stepped.read;
      options.onProgress?.(done, total);
      if (stepped.next === undefined) break;
      from = stepped.next;
      continue;
    }
    for (const event of page.events) scan.check(event);
    done += page.events.length;
    options.onProgress?.(done, total);
    if (page.nextPosition === null) break;
    from = page.nextPosition;
  }
  const storage = await events.checkStorage();
  for (const line of storage ?? []) problems.push({ position: null, reason: `storage check: ${line}` });
  const result = { events: done, streams: scan.streams, checksums: events.checksums, unchecked: scan.unchecked, positionsChecked: scan.gapless, storageChecked: storage !== null };
  return { ...result, problems };
}

/** What the scan has seen so far: each stream's last revision, the last position, what is wrong. */
class LogScan {
  readonly problems: LogProblem[] = [];
  unchecked = 0;
  private readonly revisions = new Map<string, bigint>();
  /** The sequence of the last position read or found unreadable (gapless stores only). */
  private lastSequence = 0n;

  constructor(readonly gapless: boolean) {}

  get streams(): number {
    return this.revisions.size;
  }

  check(event: RecordedEvent): void {
    const where = { position: event.position, streamId: event.streamId, revision: event.revision };
    const damage = damageOf(event);
    if (damage) this.problems.push({ ...where, reason: damage.damage.reason });
    if (isUnchecked(event)) this.unchecked += 1;
    this.checkPosition(event.position);
    const previous = this.revisions.get(event.streamId);
    const expected = previous === undefined ? 0n : previous + 1n;
    if (event.revision !== expected) {
      const reason =
        event.revision > expected
          ? `revision ${event.revision} follows ${previous ?? 'nothing'}: revisions ${expected}..${event.revision - 1n} are missing`
          : `revision ${event.revision} comes after revision ${previous}: a repeated or out-of-order revision`;
      this.problems.push({ ...where, reason });
    }
    if (previous === undefined || event.revision > previous) this.revisions.set(event.streamId, event.revision);
  }

  /** A position a damaged page hides: named once, as unreadable, not again as missing. */
  unreadable(position: Position): void {
    this.problems.push({ position, reason: 'unreadable: the page holding it is damaged' });
    if (this.gapless) this.lastSequence = sequenceFromPosition(position);
  }

  private checkPosition(position: Position): void {
    if (!this.gapless) return;
    const sequence = sequenceFromPosition(position);
    if (sequence > this.lastSequence + 1n) {
      const first = positionFromSequence(this.lastSequence + 1n);
      const count = sequence - this.lastSequence - 1n;
      this.problems.push({ position: first, reason: `position missing: ${count} event(s) before position ${position} are gone from the log (positions have no gaps in this store)` });
    }
    this.lastSequence = sequence;
  }
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
  scan: LogScan,
  first: unknown,
): Promise<{ next: Position | undefined; read: number }> {
  const last = head === null ? 0n : sequenceFromPosition(head);
  let passedDamage = false;
  let read = 0;
  let cause = first;
  for (let sequence = sequenceFromPosition(start), probes = 0; sequence <= last; probes++) {
    const position = positionFromSequence(sequence);
    if (probes >= MAX_PROBES) {
      scan.problems.push({ position, reason: `the scan stopped here after ${MAX_PROBES} reads one by one past damaged pages (${messageOf(cause)})` });
      return { next: undefined, read };
    }
    let event: RecordedEvent | undefined;
    try {
      event = (await events.readAll({ fromPosition: position, maxCount: 1, includeDamaged: true })).events[0];
    } catch (error) {
      if (!isStoreDamage(error)) throw error;
      cause = error;
      passedDamage = true;
      scan.unreadable(position);
      sequence += 1n;
      continue;
    }
    if (event === undefined) return { next: undefined, read };
    scan.check(event);
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
