import { Logger } from '@nestjs/common';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { SharedThrottlerStorage } from './throttle-store';

/** How long requests are counted in this process after the shared store failed, before it is tried again. */
export const FALLBACK_RETRY_MS = 5_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Counts in the shared store, and while that store is unreachable, in this process: each
 * instance then enforces the limit on its own (a client gets at most the limit per instance),
 * instead of refusing every request (an outage of a counter would become an outage of the
 * service) or letting every request through (no limit at all). Says so once per outage.
 */
export class FallbackThrottlerStorage implements ThrottlerStorage {
  private readonly local = new ThrottlerStorageService();
  private failingSince: number | null = null;
  private readonly logger = new Logger('Throttling');

  constructor(
    private readonly shared: SharedThrottlerStorage,
    private readonly storeName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (this.failingSince !== null && this.now() - this.failingSince < FALLBACK_RETRY_MS) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.failingSince !== null) this.logger.log(`The ${this.storeName} throttle store answers again: limits hold across instances again.`);
      this.failingSince = null;
      return record;
    } catch (error) {
      if (this.failingSince === null) {
        this.logger.warn(
          `The ${this.storeName} throttle store failed (${error instanceof Error ? error.message : String(error)}): ` +
            `each instance limits requests on its own until it answers (tried again every ${FALLBACK_RETRY_MS} ms).`,
        );
      }
      this.failingSince = this.now();
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  /** Stops the local store's sweep and closes the shared store. */
  async close(): Promise<void> {
    this.local.onApplicationShutdown();
    await this.shared.close();
  }
}
