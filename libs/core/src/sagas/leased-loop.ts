import type { LoggerService } from '@nestjs/common';
import type { DocumentStore, DocumentTransaction } from '../documents/document-store';
import { LeaseLoop } from '../leases/lease-loop';
import { Lease } from '../projections/projection-lease';

/** How a leased background loop paces itself. */
export interface LeasedLoopTiming {
  readonly pollIntervalMs: number;
  readonly leaseTtlMs: number;
}

/** After a failed turn: from 100 ms, doubling, to 5 s. */
const FAILURE_BACKOFF = { failureBaseDelayMs: 100, failureMaxDelayMs: 5_000 } as const;

/**
 * A background loop that runs in one process at a time, under a lease (the saga dispatcher
 * and scheduler, the integration publisher): `turn` does one round of work and says whether
 * more is waiting; `fenced` writes only while the lease holds. The loop itself is `LeaseLoop`.
 */
export abstract class LeasedLoop {
  protected readonly lease: Lease;
  private readonly loop: LeaseLoop;
  private fencing: Promise<unknown> = Promise.resolve();

  protected constructor(
    protected readonly documents: DocumentStore,
    readonly name: string,
    owner: string,
    timing: LeasedLoopTiming,
    protected readonly logger: LoggerService,
  ) {
    this.lease = new Lease(documents, name, owner, timing.leaseTtlMs);
    const settings = { idleMs: timing.pollIntervalMs, standbyMs: Math.max(timing.pollIntervalMs, timing.leaseTtlMs / 3), ...FAILURE_BACKOFF };
    this.loop = new LeaseLoop(this.lease, settings, { turn: () => this.turn() }, logger);
  }

  get running(): boolean {
    return this.loop.running;
  }

  get holdsLease(): boolean {
    return this.loop.holdsLease;
  }

  start(): void {
    this.loop.start();
  }

  /** Ends after the turn in progress, then releases the lease. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Cuts an idle wait short: there may be work. */
  wake(): void {
    this.loop.wake();
  }

  /** One round of work; true when more is waiting, so the loop goes on without sleeping. */
  protected abstract turn(): Promise<boolean>;

  /**
   * Runs `work` in a unit of work that commits only while this process holds the lease. One at
   * a time: each renews the lease document, so two at once would fail each other's commit.
   */
  protected fenced<R>(work: (tx: DocumentTransaction) => Promise<R>): Promise<R> {
    const run = this.fencing.then(() =>
      this.documents.transaction(async (tx) => {
        await this.lease.fence(tx);
        return work(tx);
      }),
    );
    this.fencing = run.catch(() => undefined);
    return run;
  }
}
