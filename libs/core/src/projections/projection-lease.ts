import { hostname } from 'node:os';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import type { DocumentStore, DocumentTransaction } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';

/** The system collection holding one lease document per subscription (projection or saga). */
export const LEASES_COLLECTION = 'strata_leases';

/** A lease as stored: who holds it and until when (epoch milliseconds). */
export interface LeaseDocument {
  readonly _id: string;
  readonly owner: string | null;
  readonly expiresAt: number;
  readonly acquiredAt: number;
  /** What the holder last said it was doing, for operators in other processes (`projections list`). */
  readonly state?: string;
  readonly error?: string | null;
}

/** What a holder reports about its work, stored on its lease. */
export interface LeaseReport {
  readonly state: string;
  readonly error?: string | null;
}

/** The lease was taken over by another process, or released; this holder must stop writing. */
export class LeaseLostError extends StrataError {
  constructor(name: string) {
    super('LEASE_LOST', `The lease on '${name}' is held by another process now; this process stands by.`);
  }
}

/**
 * Which PID space this process lives in: the kernel's boot id and the PID namespace, hashed.
 * Containers that share a hostname have PID namespaces of their own, and a pid means nothing
 * after a reboot, so only an owner with this same instance can be checked for life by pid.
 * Without /proc (not Linux) a random value stands in, and no holder is ever declared dead early.
 */
const INSTANCE = ((): string => {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return createHash('sha256').update(`${boot}|${readlinkSync('/proc/self/ns/pid')}`).digest('hex').slice(0, 12);
  } catch {
    return `r${randomUUID().slice(0, 11)}`;
  }
})();

/** Identifies this process as a lease holder: `host:pid:instance:random`, the random part against pid reuse. */
export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${INSTANCE}:${randomUUID().slice(0, 8)}`;
}

/**
 * One writer at a time across processes, kept in the document store itself so it works the
 * same on every backend. Acquiring is a compare-and-set on the lease document; every batch
 * `fence`s by updating that document inside its own unit of work, so a holder whose lease was
 * taken over fails its commit (no match, or a write conflict) instead of writing beside the
 * new holder.
 */
export class Lease {
  private renewedAt = 0;

  constructor(
    private readonly store: DocumentStore,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease if it is free, expired, ours, or held by a dead process on this host. */
  async tryAcquire(): Promise<boolean> {
    const leases = this.store.collection<LeaseDocument>(LEASES_COLLECTION);
    const now = this.now();
    const current = await leases.findOne({ _id: this.name });
    try {
      if (!current) {
        await leases.insertOne({ _id: this.name, owner: this.owner, expiresAt: now + this.ttlMs, acquiredAt: now });
      } else {
        if (current.owner !== this.owner && current.owner !== null && current.expiresAt > now && !ownerIsDead(current.owner)) {
          return false;
        }
        // What the previous holder reported is not ours to show.
        const taken = await leases.updateOne(
          { _id: this.name, owner: current.owner, expiresAt: current.expiresAt },
          { $set: { owner: this.owner, expiresAt: now + this.ttlMs, acquiredAt: now }, $unset: { state: '', error: '' } },
        );
        if (taken.matchedCount === 0) return false;
      }
    } catch (error) {
      // Another process won the race for the same document.
      if (hasCode(error, 'DUPLICATE_KEY', 'WRITE_CONFLICT')) return false;
      throw error;
    }
    this.renewedAt = now;
    return true;
  }

  /**
   * Takes the lease whoever holds it. The holder's next fenced commit fails, so it stands by
   * until the lease is released; a replay and an operator's retry do this.
   */
  async steal(report?: LeaseReport): Promise<void> {
    const leases = this.store.collection<LeaseDocument>(LEASES_COLLECTION);
    for (let attempt = 1; ; attempt++) {
      const now = this.now();
      try {
        await leases.updateOne(
          { _id: this.name },
          { $set: { owner: this.owner, expiresAt: now + this.ttlMs, acquiredAt: now, ...report } },
          { upsert: true },
        );
        this.renewedAt = now;
        return;
      } catch (error) {
        // The holder renewed (or another process inserted) between our read and our write: take it again.
        if (attempt >= 10 || !hasCode(error, 'DUPLICATE_KEY', 'WRITE_CONFLICT')) throw error;
      }
    }
  }

  /**
   * Within a unit of work: proves we still hold the lease and extends it, or throws
   * `LeaseLostError`. A report is stored with it, for operators in other processes.
   */
  async fence(tx: DocumentTransaction, report?: LeaseReport): Promise<void> {
    const now = this.now();
    const leases = tx.collection<LeaseDocument>(LEASES_COLLECTION);
    // Read and replaced by `_id`, the cheapest lookup there is: every batch fences. The unit of
    // work commits the replacement only if the lease is still what was read here.
    const lease = await leases.findOne({ _id: this.name });
    if (lease?.owner !== this.owner) throw new LeaseLostError(this.name);
    await leases.replaceOne({ _id: this.name }, { ...lease, expiresAt: now + this.ttlMs, ...report });
    this.renewedAt = now;
  }

  /** Stores a report on the lease if we still hold it; best effort, for a holder in trouble. */
  async report(report: LeaseReport): Promise<void> {
    try {
      await this.store.transaction((tx) => this.fence(tx, report));
    } catch {
      // A report is informational; a store that cannot take it will fail the next batch as well.
    }
  }

  /** Extends the lease when a third of its time has passed; false when it was lost. */
  async renewIfDue(report?: LeaseReport): Promise<boolean> {
    if (this.now() - this.renewedAt < this.ttlMs / 3) return true;
    try {
      await this.store.transaction((tx) => this.fence(tx, report));
      return true;
    } catch (error) {
      if (hasCode(error, 'LEASE_LOST', 'WRITE_CONFLICT')) return false;
      throw error;
    }
  }

  /** Gives the lease up so another process can take it at once. */
  async release(): Promise<void> {
    await this.store
      .collection<LeaseDocument>(LEASES_COLLECTION)
      .updateOne({ _id: this.name, owner: this.owner }, { $set: { owner: null, expiresAt: 0 } });
  }

  /** The lease document as stored, for status reports. */
  async read(): Promise<LeaseDocument | null> {
    return this.store.collection<LeaseDocument>(LEASES_COLLECTION).findOne({ _id: this.name });
  }
}

/** The process holding a lease now: its owner, unless the lease was released, expired, or its process died. */
export function activeHolder(lease: LeaseDocument | null, now: number = Date.now()): string | null {
  if (!lease?.owner || lease.expiresAt <= now || ownerIsDead(lease.owner)) return null;
  return lease.owner;
}

/**
 * A holder in this PID space whose process is gone (kill -9, crash) cannot renew; no need to
 * wait out its lease. A holder anywhere else (another container with the same hostname, before
 * a reboot, an owner written before instances were recorded) waits out its lease.
 */
function ownerIsDead(owner: string): boolean {
  const [host, pidText, instance, random, ...rest] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || instance !== INSTANCE || random === undefined || rest.length > 0) return false;
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ESRCH';
  }
}

/** Whether an error is a Strata error with one of these codes (codes hold across package copies). */
export function hasCode(error: unknown, ...codes: string[]): boolean {
  return StrataError.isStrataError(error) && codes.includes(error.code);
}
