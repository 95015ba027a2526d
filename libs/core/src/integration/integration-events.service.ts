import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { DocumentStore } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import { Projections } from '../projections/projections.service';
import type { ParkedRetryOutcome, ParkedSkipOutcome } from '../projections/parked-event-actions';
import type { ParkedMessage } from './inbox-parking';
import type { InboxHandler } from './inbox-handler';
import { InboxConsumer, type InboxStatus } from './inbox-consumer';
import { InboxParking, inboxSubscriptionName } from './inbox-parking';
import { InboxProcessor } from './inbox-processor';
import { inboxOptionsOf } from './inbox.decorator';
import { decodeMessage } from './decode-message';
import { IntegrationPublisher, type PublisherStatus } from './integration-publisher';
import type { IntegrationMapper } from './integration-mapper';
import { STRATA_INTEGRATION_OPTIONS, type StrataIntegrationOptions } from './integration-options';
import type { IntegrationTransport } from './integration-transport';
import { resolveTransport } from './resolve-transport';

/** What retrying a parked message came to, for each message of its key's sequence. */
export type InboxRetryOutcome = ParkedRetryOutcome;

interface Inbox {
  readonly consumer: InboxConsumer | null;
  readonly processor: InboxProcessor;
  readonly parking: InboxParking;
}

/**
 * The service's integration events: its outbox publisher (when it publishes) and one consumer
 * per `@Inbox`, on the transport the environment selects. Started and stopped with the
 * projections, under leases of their own.
 */
@Injectable()
export class IntegrationEvents implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('IntegrationEvents');
  private transport: IntegrationTransport | null = null;
  private publisher: IntegrationPublisher | null = null;
  private readonly inboxes = new Map<string, Inbox>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly projections: Projections,
    @Inject(STRATA_INTEGRATION_OPTIONS) private readonly options: StrataIntegrationOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const settings = this.projections.settings;
    const retry = { maxAttempts: settings.maxAttempts, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs };
    const handlers = this.discovery.getProviders().flatMap((wrapper) => {
      const options = wrapper.metatype ? inboxOptionsOf(wrapper.metatype) : undefined;
      return options && wrapper.instance ? [{ options, handler: wrapper.instance as InboxHandler<never> }] : [];
    });
    for (const { options, handler } of handlers) {
      if (this.inboxes.has(options.name)) throw new StrataError('DUPLICATE_INBOX', `Two inboxes are named '${options.name}'; each needs its own name.`);
      const parking = new InboxParking(this.documents, options.name);
      // Retries in hand end early once the consumer stops; the broker delivers the message again.
      const processor = new InboxProcessor(options, handler, parking, retry, this.logger, () => this.inboxes.get(options.name)?.consumer?.isStopping ?? false);
      this.inboxes.set(options.name, { consumer: null, processor, parking });
    }
    this.transport = await resolveTransport(this.options);
    if (this.transport === null) {
      if (this.options.publish || this.inboxes.size > 0) this.logger.log('No STRATA_INTEGRATION_TRANSPORT: integration events are neither published nor consumed.');
      return;
    }
    for (const [name, inbox] of this.inboxes) {
      const timing = { leaseTtlMs: settings.leaseTtlMs, ...(this.options.pendingMaxAgeMs === undefined ? {} : { pendingMaxAgeMs: this.options.pendingMaxAgeMs }) };
      const consumer = new InboxConsumer(inbox.processor.options, inbox.processor, this.transport, this.documents, timing, this.projections.owner, this.logger);
      this.inboxes.set(name, { ...inbox, consumer });
    }
    if (this.options.publish) {
      const mapper = this.moduleRef.get<IntegrationMapper>(this.options.publish.mapper, { strict: false });
      this.publisher = new IntegrationPublisher(
        this.options.source,
        this.options.source,
        mapper,
        this.options.publish.events,
        this.transport,
        this.events,
        this.documents,
        settings,
        this.projections.owner,
        this.logger,
      );
    }
  }

  onApplicationBootstrap(): void {
    if (this.projections.settings.autoStart) this.startAll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport?.close();
  }

  startAll(): void {
    this.publisher?.start();
    for (const inbox of this.inboxes.values()) inbox.consumer?.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all([this.publisher?.stop(), ...[...this.inboxes.values()].map((inbox) => inbox.consumer?.stop())]);
  }

  /** The transport in use, or null when integration is off. */
  get transportName(): string | null {
    return this.transport?.name ?? null;
  }

  async publisherStatus(): Promise<PublisherStatus | null> {
    return this.publisher ? this.publisher.status() : null;
  }

  async inboxStatuses(): Promise<InboxStatus[]> {
    const statuses: InboxStatus[] = [];
    for (const { consumer, parking } of this.inboxes.values()) if (consumer) statuses.push(await consumer.status(await parking.count()));
    return statuses;
  }

  /** Whether a parked-event id belongs to an inbox of this app. */
  ownsParked(id: string): boolean {
    return [...this.inboxes.keys()].some((name) => id.startsWith(`${inboxSubscriptionName(name)}@`));
  }

  /**
   * Applies a parked message again, and the messages of its key parked behind it, in order,
   * stopping at the first that fails again; each that applies is removed.
   */
  async retryParked(id: string): Promise<InboxRetryOutcome> {
    const { inbox, parked } = await this.parkedMessage(id);
    return this.applySequence(inbox, parked.streamId, id);
  }

  /**
   * Removes a parked message unapplied. When it headed its key's sequence, the messages it held
   * are applied in order, as a retry would, and the first that fails heads the sequence again.
   */
  async skipParked(id: string): Promise<ParkedSkipOutcome> {
    const { inbox, parked } = await this.parkedMessage(id);
    const [head] = await inbox.parking.sequenceOf(parked.streamId);
    await inbox.parking.remove(id);
    if (head?._id !== id) return { skipped: parked, released: null, stillParked: 0 };
    const released = await this.applySequence(inbox, parked.streamId, id);
    return { skipped: parked, released: released.applied.length > 0 || released.failed !== null ? released : null, stillParked: 0 };
  }

  private async parkedMessage(id: string): Promise<{ inbox: Inbox; parked: ParkedMessage }> {
    const inbox = [...this.inboxes.entries()].find(([name]) => id.startsWith(`${inboxSubscriptionName(name)}@`))?.[1];
    const parked = inbox ? await inbox.parking.find(id) : null;
    if (!inbox || !parked) throw new StrataError('UNKNOWN_PARKED_EVENT', `There is no parked message '${id}'. 'parked list' shows the ids of those there are.`);
    return { inbox, parked };
  }

  /** Applies a key's parked messages oldest first until one fails; read again at the end, for any the consumer held meanwhile. */
  private async applySequence(inbox: Inbox, key: string, id: string): Promise<ParkedRetryOutcome> {
    const applied: string[] = [];
    for (let sequence = await inbox.parking.sequenceOf(key); sequence.length > 0; sequence = await inbox.parking.sequenceOf(key)) {
      for (const record of sequence) {
        const decoded = decodeMessage(record.payload);
        try {
          if (decoded.message === null) throw new StrataError('INVALID_INTEGRATION_MESSAGE', decoded.problem);
          await inbox.processor.apply(decoded.message);
        } catch (error) {
          await inbox.parking.failedAgain(record._id, error);
          return { id, applied, failed: { id: record._id, error: error instanceof Error ? error.message : String(error) } };
        }
        await inbox.parking.remove(record._id);
        applied.push(record._id);
      }
    }
    return { id, applied, failed: null };
  }
}
