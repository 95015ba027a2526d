import { type Position } from '@strata/core';
import { positionFromSequence } from '@strata/core/adapter';
import { Client, escapeIdentifier } from 'pg';
import { appendChannel } from './event-store-schema';
import type { PostgresDatabase } from './postgres-database';

/** Waits before reconnecting a dropped LISTEN connection: doubling from 250 ms up to 10 s. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * Follows other processes' appends through LISTEN/NOTIFY on a connection of its own, so their
 * followers wake at once; `strata_append` announces each commit with its origin and position.
 * Announcements are hints: a lost one (a dropped connection) only leaves followers to their poll.
 */
export class AppendListener {
  private client: Client | null = null;
  private started = false;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly origin: string,
    private readonly heard: (position: Position) => void,
  ) {}

  /** Starts listening once; later calls do nothing. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.db.pool.options);
    client.on('error', () => this.reconnectLater(client));
    client.on('end', () => this.reconnectLater(client));
    client.on('notification', (message) => this.receive(message.payload));
    try {
      await client.connect();
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      await client.query(`LISTEN ${escapeIdentifier(appendChannel(this.db.schemaName))}`);
      this.retryMs = FIRST_RETRY_MS;
    } catch {
      this.reconnectLater(client);
    }
  }

  private receive(payload: string | undefined): void {
    const separator = payload?.lastIndexOf(':') ?? -1;
    if (payload === undefined || separator < 0 || payload.slice(0, separator) === this.origin) return;
    const sequence = payload.slice(separator + 1);
    if (/^\d+$/.test(sequence)) this.heard(positionFromSequence(BigInt(sequence)));
  }

  private reconnectLater(client: Client): void {
    if (this.stopped || this.timer !== null || (this.client !== null && this.client !== client)) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }
}
