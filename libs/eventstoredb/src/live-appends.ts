import { END, type AllStreamSubscription, type KurrentDBClient, type Position as KurrentPosition } from '@kurrent/kurrentdb-client';
import type { LoggerService } from '@nestjs/common';
import type { Position } from '@strata/core';
import { encodePosition } from './kurrentdb-position';
import { DEFAULT_RESUBSCRIBE_BACKOFF, resubscribeDelay, type ResubscribeBackoff } from './resubscribe-backoff';
import type { ServerFilter } from './read-all-filter';

/**
 * A `subscribeToAll` that reports the position of every new event, including other
 * processes' appends, so idle projection and saga runners wake at once instead of at their
 * next poll. It is a wake-up signal only: runners always read from their committed
 * checkpoint, so an event this subscription misses while it is down is never lost. When it
 * drops, it subscribes again from the last position it saw, after a capped exponential backoff.
 */
export class LiveAppends {
  private subscription: AllStreamSubscription | null = null;
  private lastSeen: KurrentPosition | null = null;
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly filter: ServerFilter,
    private readonly onEvent: (position: Position) => void,
    private readonly logger: LoggerService,
    private readonly backoff: ResubscribeBackoff = DEFAULT_RESUBSCRIBE_BACKOFF,
  ) {}

  /** Subscribes from the end of the log; starting twice is a no-op. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.unsubscribe().catch(() => undefined);
  }

  private subscribe(): void {
    const subscription = this.client.subscribeToAll({ fromPosition: this.lastSeen ?? END, filter: this.filter.filter });
    this.subscription = subscription;
    subscription.on('data', (resolved) => {
      const event = resolved.event;
      this.failures = 0;
      if (!event) return;
      this.lastSeen = event.position;
      if (this.filter.accepts(event.type, event.streamId)) this.onEvent(encodePosition(event.position));
    });
    subscription.on('error', (error) => this.dropped(subscription, error));
    subscription.on('end', () => this.dropped(subscription, new Error('the server ended the subscription')));
  }

  private dropped(subscription: AllStreamSubscription, error: Error): void {
    if (this.stopped || this.subscription !== subscription) return;
    this.subscription = null;
    this.failures += 1;
    const delay = resubscribeDelay(this.failures, this.backoff);
    const from = this.lastSeen ? encodePosition(this.lastSeen) : 'the end of the log';
    this.logger.warn(`KurrentDB live subscription dropped (${error.message}); resubscribing from ${from} in ${delay} ms (attempt ${this.failures}).`);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.stopped) this.subscribe();
    }, delay);
    this.retry.unref();
  }
}
