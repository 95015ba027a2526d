import type { LoggerService } from '@nestjs/common';
import type { DocumentStore } from '../documents/document-store';
import { Lease } from '../projections/projection-lease';
import { LeaseLoop } from '../leases/lease-loop';
import { CachedReading } from './cached-reading';
import type { InboxOptions } from './inbox-handler';
import { inboxSubscriptionName } from './inbox-parking';
import type { InboxProcessor } from './inbox-processor';
import type { Consumption, IntegrationTransport } from './integration-transport';

/** Where an inbox stands, for operators, health and metrics. */
export interface InboxStatus {
  readonly name: string;
  readonly consuming: boolean;
  /** Messages waiting at the broker; null when it cannot be asked. */
  readonly pending: number | null;
  readonly parked: number;
  /** When the message last applied was published; null before the first. */
  readonly lastOccurredAt: string | null;
}

/** How old the broker backlog that health and metrics report may be, by default: probes ask the broker at most once in this time. */
export const DEFAULT_PENDING_MAX_AGE_MS = 2_000;

/** How an inbox consumer paces itself. */
export interface InboxConsumerTiming {
  readonly leaseTtlMs: number;
  /** How old the reported backlog may be (`DEFAULT_PENDING_MAX_AGE_MS` when omitted). */
  readonly pendingMaxAgeMs?: number;
}

/**
 * Consumes one inbox's queue in one process at a time, under a lease (a `LeaseLoop`), so
 * messages of one key are applied in order. The holder renews the lease while it consumes;
 * losing it stops the consumption (the message in hand finishes, the rest stay at the broker
 * for the new holder).
 */
export class InboxConsumer {
  private readonly loop: LeaseLoop;
  private consumption: Consumption | null = null;
  private lastOccurredAt: string | null = null;
  private readonly pending: CachedReading<number | null>;

  constructor(
    readonly options: InboxOptions,
    private readonly processor: InboxProcessor,
    private readonly transport: IntegrationTransport,
    documents: DocumentStore,
    timing: InboxConsumerTiming,
    owner: string,
    private readonly logger: LoggerService,
    now: () => number = Date.now,
  ) {
    // The holder looks at its lease and its broker connection three times per lease period.
    const beat = Math.max(100, Math.floor(timing.leaseTtlMs / 3));
    const lease = new Lease(documents, inboxSubscriptionName(options.name), owner, timing.leaseTtlMs);
    const settings = { idleMs: beat, standbyMs: beat, failureBaseDelayMs: beat, failureMaxDelayMs: beat };
    this.loop = new LeaseLoop(
      lease,
      settings,
      {
        onAcquired: () => this.begin(),
        turn: async () => {
          if (this.consumption !== null && !this.consumption.alive()) {
            this.logger.warn(`Inbox '${this.options.name}' lost its broker connection; consuming anew.`);
            await this.end();
            await this.begin();
          }
          return false;
        },
        onStandby: async () => {
          if (this.consumption === null) return;
          this.logger.warn(`Inbox '${this.options.name}' lost its lease; another process consumes now.`);
          await this.end();
        },
        onFailure: async (error) => {
          this.logger.error(`Inbox '${this.options.name}' failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
          await this.end().catch(() => undefined);
          return beat;
        },
        onStopped: () => this.end(),
      },
      logger,
    );
    // A broker that cannot be asked answers null, kept as long as an answer, so a probe never waits on a dead broker twice in a row.
    this.pending = new CachedReading(() => transport.pending(options.name).catch(() => null), timing.pendingMaxAgeMs ?? DEFAULT_PENDING_MAX_AGE_MS, now);
  }

  get isStopping(): boolean {
    return this.loop.isStopping;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Its status; `pending` may be up to the timing's `pendingMaxAgeMs` old. */
  async status(parked: number): Promise<InboxStatus> {
    const pending = await this.pending.get();
    return { name: this.options.name, consuming: this.consumption !== null, pending, parked, lastOccurredAt: this.lastOccurredAt };
  }

  private async begin(): Promise<void> {
    this.consumption = await this.transport.consume({
      consumer: this.options.name,
      types: this.options.events.map((contract) => contract.name),
      onDelivery: async (delivery) => {
        const outcome = await this.processor.process(delivery);
        if (outcome === 'applied' && delivery.message) this.lastOccurredAt = delivery.message.occurredAt;
      },
    });
    this.logger.log(`Inbox '${this.options.name}' consumes here.`);
  }

  private async end(): Promise<void> {
    const consumption = this.consumption;
    this.consumption = null;
    await consumption?.stop();
  }
}
