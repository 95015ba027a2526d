import type { Position } from '../event-store/position';
import { StrataError } from './strata-error';

/** Codes of a store that refused a write for want of space or by an I/O fault; readiness turns false while they last. */
export const STORAGE_FAULT_CODES: ReadonlySet<string> = new Set(['STORAGE_FULL', 'STORAGE_WRITE_FAILED']);

/**
 * The disk or quota under the store refused a write (HTTP 507 when full, 503 for another write
 * fault). Nothing was written; the same request succeeds once space is freed.
 */
export class StorageFaultError extends StrataError {
  constructor(
    code: 'STORAGE_FULL' | 'STORAGE_WRITE_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  /** Whether `error` is a storage fault, by code, so it holds across package copies. */
  static isStorageFault(error: unknown): error is StrataError {
    return StrataError.isStrataError(error) && STORAGE_FAULT_CODES.has(error.code);
  }
}

/**
 * The store's file is damaged where SQLite itself can tell (a torn page, a truncated file, a
 * file that is not a database): code `STORE_CORRUPTED`. Restore from a backup.
 */
export class StoreCorruptedError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_CORRUPTED', message, options);
  }
}

/** Where a damaged event sits in the log, and what is wrong with it. */
export interface EventDamage {
  readonly position: Position;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  /** What failed, e.g. 'its checksum does not match its data and metadata'. */
  readonly reason: string;
}

/**
 * A stored event failed its integrity check (code `EVENT_INTEGRITY_FAILED`): it is never folded
 * into a decision or a read model. Commands on its stream are refused, projections park it.
 */
export class EventIntegrityError extends StrataError {
  readonly position: Position;
  readonly streamId: string;
  readonly revision: bigint;

  constructor(
    readonly damage: EventDamage,
    options?: { cause?: unknown },
  ) {
    super(
      'EVENT_INTEGRITY_FAILED',
      `The event at position ${damage.position} (revision ${damage.revision} of stream '${damage.streamId}', ${damage.type}) failed its integrity check: ` +
        `${damage.reason}. It was not used. Run the CLI's 'verify' to list every damaged event, then restore the store from a verified backup ('restore <file> --verify').`,
      options,
    );
    this.position = damage.position;
    this.streamId = damage.streamId;
    this.revision = damage.revision;
  }
}
