import type { LoggerService } from '@nestjs/common';
import { backoffDelay } from '../commands/retry-policy';
import type { DocumentStore, DocumentTransaction } from '../documents/document-store';
import { hasCode, Lease } from '../projections/projection-lease';
import { WakeUp } from '../projections/wake-up';

/**
 * A background loop that runs in one process at a time, under a lease: `turn` does one
 * round of work and says whether more is waiting; `fenced` writes only while the lease holds.
 */
export abstract class LeasedLoop {
  protected readonly lease: Lease;
  private readonly wakeUp = new WakeUp();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private leader = false;
  private fencing: Promise<unknown> = Promise.resolve();

  protected constructor(
    protected readonly documents: DocumentStore,
    readonly name: string,
    owner: string,
    private readonly timing: { readonly pollIntervalMs: number; readonly leaseTtlMs: number },
    protected readonly logger: LoggerService,
  ) {
    this.lease = new Lease(documents, name, owner, timing.leaseTtlMs);
  }

  get running(): boolean {
    return this.loop !== null;
  }

  get holdsLease(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Ends after the turn in progress, then releases the lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp.wake();
    await this.loop;
    this.loop = null;
    if (this.leader) {
      this.leader = false;
      await this.lease.release().catch(() => undefined);
    }
  }

  /** Cuts an idle wait short: there may be work. */
  wake(): void {
    this.wakeUp.wake();
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

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!this.leader) {
          this.leader = await this.lease.tryAcquire();
          if (!this.leader) {
            await this.wakeUp.sleep(Math.max(this.timing.pollIntervalMs, this.timing.leaseTtlMs / 3));
            continue;
          }
        }
        const more = await this.turn();
        failures = 0;
        if (!more) {
          if (!(await this.lease.renewIfDue())) this.leader = false;
          else await this.wakeUp.sleep(this.timing.pollIntervalMs);
        } else {
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        if (this.stopping) break;
        if (hasCode(error, 'LEASE_LOST', 'WRITE_CONFLICT')) {
          this.leader = false;
          continue;
        }
        failures += 1;
        const delay = Math.max(50, backoffDelay({ maxAttempts: 0, baseDelayMs: 100, maxDelayMs: 5_000 }, failures));
        this.logger.error(`${this.name} failed (attempt ${failures}), retrying in ${delay} ms: ${error instanceof Error ? error.message : String(error)}`);
        await this.wakeUp.sleep(delay);
      }
    }
  }
}
