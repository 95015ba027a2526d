import type { LoggerService } from '@nestjs/common';
import { backoffDelay } from '../commands/retry-policy';
import { hasCode, type Lease, type LeaseReport } from '../projections/projection-lease';
import { WakeUp } from '../projections/wake-up';

/** How a lease loop paces itself: every constant a holder used to keep for itself. */
export interface LeaseLoopSettings {
  /** How long an idle holder waits for work before it looks again (a wake cuts it short). */
  readonly idleMs: number;
  /** How long a process that does not hold the lease waits before it asks again. */
  readonly standbyMs: number;
  /** The backoff after failed turns: `baseDelayMs` doubling up to `maxDelayMs`, with jitter, never under the base. */
  readonly failureBaseDelayMs: number;
  readonly failureMaxDelayMs: number;
}

/**
 * What to do after a failed turn: `standby` (the lease is lost: ask for it again), `reacquire`
 * (take it again at once and reload, as after an unknown commit result), `backoff` (keep it and
 * try again after the failure backoff), or a number of milliseconds to stand down and wait.
 */
export type LeaseLoopVerdict = 'standby' | 'reacquire' | 'backoff' | number;

/** What a loop does with its lease: the work of one holder. */
export interface LeaseLoopWork {
  /** Asked before every round; false makes a holder give its lease back and the process stand by (a newer version runs elsewhere, say). */
  mayLead?(): Promise<boolean>;
  /** Runs each time this process takes the lease, before its first turn (load a checkpoint, say). */
  onAcquired?(): Promise<void>;
  /** One round of work under the lease; true when more is waiting, so the loop goes on without idling. */
  turn(): Promise<boolean>;
  /** What an idle holder stores on its lease when it renews it. */
  idleReport?(): LeaseReport | undefined;
  /** Runs each time this process does not get, or loses, the lease. */
  onStandby?(): Promise<void> | void;
  /** Decides how to go on after a failed turn; without it, a lost lease stands by and anything else backs off. */
  onFailure?(error: unknown, failures: number): Promise<LeaseLoopVerdict> | LeaseLoopVerdict;
  /** Runs once the loop has ended, before the lease is released (let go of a consumer, say). */
  onStopped?(): Promise<void>;
}

/**
 * The one loop every leased worker runs (projection runners, saga dispatcher and scheduler,
 * integration publisher and inboxes): take the lease or stand by, turn while work is waiting,
 * renew while idle, sort failures into standby, reacquire or backoff, and release on stop.
 */
export class LeaseLoop {
  private readonly wakeUp = new WakeUp(true);
  private loop: Promise<void> | null = null;
  private stopping = false;
  private leader = false;

  constructor(
    readonly lease: Lease,
    private readonly settings: LeaseLoopSettings,
    private readonly work: LeaseLoopWork,
    private readonly logger: LoggerService,
  ) {}

  get running(): boolean {
    return this.loop !== null;
  }

  /** Whether a stop was asked for: work in hand should end early. */
  get isStopping(): boolean {
    return this.stopping;
  }

  get holdsLease(): boolean {
    return this.leader;
  }

  /** Starts in the background; starting twice is a no-op. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Ends after the turn in progress, then releases the lease so another process takes it at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp.wake();
    await this.loop;
    this.loop = null;
    await this.work.onStopped?.();
    if (!this.leader) return;
    this.leader = false;
    try {
      await this.lease.release();
    } catch (error) {
      // It expires on its own; another process then waits out the TTL instead of taking it at once.
      this.logger.warn(`'${this.lease.name}' could not release its lease: ${messageOf(error)}`);
    }
  }

  /** Cuts a wait short: there may be work (an append, a due deadline) or a stop. */
  wake(): void {
    this.wakeUp.wake();
  }

  /** Sleeps up to `ms`; a wake ends it early. */
  sleep(ms: number): Promise<void> {
    return this.wakeUp.sleep(ms);
  }

  /** Gives the lease back if held, and waits as a process on standby does. */
  private async standDown(): Promise<void> {
    if (this.leader) {
      this.leader = false;
      await this.lease.release();
    }
    await this.work.onStandby?.();
    await this.wakeUp.sleep(this.settings.standbyMs);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (this.work.mayLead && !(await this.work.mayLead())) {
          await this.standDown();
          continue;
        }
        if (!this.leader) {
          if (!(await this.lease.tryAcquire())) {
            await this.work.onStandby?.();
            await this.wakeUp.sleep(this.settings.standbyMs);
            continue;
          }
          this.leader = true;
          await this.work.onAcquired?.();
        }
        const more = await this.work.turn();
        failures = 0;
        if (more) {
          // A store that answers synchronously would otherwise chain turns as microtasks and starve I/O.
          await new Promise((resolve) => setImmediate(resolve));
        } else if (await this.lease.renewIfDue(this.work.idleReport?.())) {
          await this.wakeUp.sleep(this.settings.idleMs);
        } else {
          this.leader = false;
          await this.work.onStandby?.();
        }
      } catch (error) {
        if (this.stopping) break;
        const verdict = await this.verdictOn(error, failures + 1);
        if (verdict === 'backoff') {
          failures += 1;
          const { failureBaseDelayMs: baseDelayMs, failureMaxDelayMs: maxDelayMs } = this.settings;
          await this.wakeUp.sleep(Math.max(baseDelayMs, backoffDelay({ maxAttempts: 0, baseDelayMs, maxDelayMs }, failures)));
          continue;
        }
        this.leader = false;
        if (verdict === 'standby') await this.work.onStandby?.();
        if (typeof verdict === 'number') await this.wakeUp.sleep(verdict);
      }
    }
  }

  private async verdictOn(error: unknown, failures: number): Promise<LeaseLoopVerdict> {
    if (this.work.onFailure) return this.work.onFailure(error, failures);
    if (hasCode(error, 'LEASE_LOST', 'WRITE_CONFLICT')) return 'standby';
    this.logger.error(`'${this.lease.name}' failed (attempt ${failures}), retrying: ${messageOf(error)}`);
    return 'backoff';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
