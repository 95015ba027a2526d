import { Logger, type LoggerService } from '@nestjs/common';
import type { Snapshot, SnapshotStore } from './snapshot-store';

export interface SnapshotsOptions {
  readonly logger?: LoggerService;
  /** Streams waiting for a snapshot write at most; past it new ones are dropped (they are only a cache). */
  readonly maxPending?: number;
}

/** Snapshot writes that failed are logged at most this often; the ones in between are counted. */
const WARNING_INTERVAL_MS = 10_000;
const DEFAULT_MAX_PENDING = 10_000;
/** How long a shutdown waits for queued snapshot writes before leaving them. */
export const DEFAULT_SNAPSHOT_DRAIN_MS = 5_000;

/**
 * A snapshot store, and the queue that writes to it off the command's path: `schedule`
 * returns at once, one write runs at a time, a newer snapshot of a stream replaces one still
 * waiting, and a failed write is logged, never thrown. `drain` waits for the queue at shutdown.
 */
export class Snapshots {
  readonly logger: LoggerService;
  private readonly maxPending: number;
  private readonly pending = new Map<string, () => Snapshot>();
  private running: Promise<void> | undefined;
  private closed = false;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private unlogged = 0;

  constructor(
    readonly store: SnapshotStore,
    options: SnapshotsOptions = {},
  ) {
    this.logger = options.logger ?? new Logger('Snapshots');
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  }

  /** Snapshots waiting to be written. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Queues the snapshot `take` makes, and returns at once. `take` runs later, in the queue,
   * so building the snapshot costs the command nothing either.
   */
  schedule(streamId: string, take: () => Snapshot): void {
    if (this.closed) return;
    if (!this.pending.has(streamId) && this.pending.size >= this.maxPending) {
      this.warn(`Dropped a snapshot of '${streamId}': ${this.maxPending} streams are already waiting for one. Is the snapshot store slow?`);
      return;
    }
    this.pending.set(streamId, take);
    this.start();
  }

  /** Waits until the queue is empty, for at most `timeoutMs`; what is left then is logged and dropped. */
  async drain(timeoutMs = DEFAULT_SNAPSHOT_DRAIN_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const emptied = (async () => {
      while (this.running) await this.running;
      return false as const;
    })();
    try {
      if (await Promise.race([emptied, timedOut])) {
        const left = this.pending.size + 1;
        this.logger.warn(`Gave up waiting ${timeoutMs} ms for snapshot writes; about ${left} were not written. Loads read those streams in full until the next snapshot.`);
        this.pending.clear();
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Takes no more snapshots and drains the queue (the store itself stays open: it is its owner's). */
  async close(timeoutMs = DEFAULT_SNAPSHOT_DRAIN_MS): Promise<void> {
    this.closed = true;
    await this.drain(timeoutMs);
  }

  private start(): void {
    if (this.running) return;
    // A macrotask later: the command that scheduled it has answered by then.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.writeAll())
      .finally(() => {
        this.running = undefined;
        if (this.pending.size > 0) this.start();
      });
  }

  private async writeAll(): Promise<void> {
    for (let next = this.pending.entries().next(); !next.done; next = this.pending.entries().next()) {
      const [streamId, take] = next.value;
      this.pending.delete(streamId);
      try {
        await this.store.save(take());
      } catch (error) {
        this.warn(`Could not write a snapshot of '${streamId}': ${error instanceof Error ? error.message : String(error)}. Commands are unaffected; loads read more events until a snapshot is written.`);
      }
    }
  }

  /** Logs a snapshot problem at warn level, at most once every 10 s; the ones in between are counted. */
  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARNING_INTERVAL_MS) {
      this.unlogged += 1;
      return;
    }
    this.logger.warn(this.unlogged > 0 ? `${message} (${this.unlogged} more snapshot problems since the last warning)` : message);
    this.lastWarning = now;
    this.unlogged = 0;
  }
}
