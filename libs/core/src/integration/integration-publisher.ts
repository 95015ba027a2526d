import type { LoggerService } from '@nestjs/common';
import { deriveId } from '../commands/event-ids';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import { SpanKind } from '@opentelemetry/api';
import { contextFromCarrier, currentTraceCarrier, inSpan, traceCarrierOf } from '../observability/tracing';
import { readBatch } from '../projections/log-batch';
import { ParkedEvents } from '../projections/parked-events';
import type { ProjectionStatus } from '../projections/projection-status';
import { LeasedLoop } from '../sagas/leased-loop';
import type { IntegrationMessage } from './integration-event';
import type { IntegrationMapper, PublishedEvent } from './integration-mapper';
import type { IntegrationTransport } from './integration-transport';

/**
 * Keys published at once; one key's messages always go one after the other. Publishing is
 * bound by round trips to the broker, not by CPU, so every key of a batch is in flight at once
 * up to this many (a batch of the default 500 events rarely has more keys).
 */
const PUBLISH_CONCURRENCY = 256;

/** The checkpoint, lease and parked-event name of a publisher. */
export function publisherSubscriptionName(name: string): string {
  return `integration:publish:${name}`;
}

/** How a publisher reads and paces itself. */
export interface PublisherSettings {
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly leaseTtlMs: number;
}

/** Where a publisher stands, for operators, health and metrics: a projection's status, less what a publisher has not. */
export type PublisherStatus = Pick<ProjectionStatus, 'name' | 'checkpoint' | 'head' | 'lag' | 'parked' | 'holdsLease' | 'lastError'>;

/**
 * The outbox of integration events: a leased, checkpointed subscription to the log that maps
 * each domain event to its public messages and publishes them in log order. The checkpoint
 * moves only past events whose messages the broker acknowledged, so a crash or an outage
 * publishes again from there; message ids derive from event ids, so the broker (NATS) or the
 * consumer's inbox drops the repeats. A broker that is down stalls the publisher, never parks;
 * only an event the mapper throws on is parked.
 */
export class IntegrationPublisher extends LeasedLoop {
  private readonly subscription: string;
  private lastError: string | null = null;
  /** What the broker last refused a publish with, in the turn under way. */
  private failure: unknown = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly publisherName: string,
    private readonly source: string,
    private readonly mapper: IntegrationMapper,
    private readonly eventTypes: readonly string[] | undefined,
    private readonly transport: IntegrationTransport,
    private readonly events: EventStore,
    documents: DocumentStore,
    private readonly settings: PublisherSettings,
    owner: string,
    logger: LoggerService,
  ) {
    super(documents, publisherSubscriptionName(publisherName), owner, settings, logger);
    this.subscription = publisherSubscriptionName(publisherName);
  }

  override start(): void {
    this.unsubscribe ??= this.events.onAppended(() => this.wake());
    super.start();
  }

  override async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await super.stop();
  }

  async status(): Promise<PublisherStatus> {
    const [checkpoint, head, parked] = await Promise.all([
      this.documents.getCheckpoint(this.subscription),
      this.events.headPosition(),
      new ParkedEvents(this.documents).count(this.subscription),
    ]);
    return { name: this.publisherName, checkpoint, head, lag: this.events.eventsBetween(checkpoint, head), parked, holdsLease: this.holdsLease, lastError: this.lastError };
  }

  protected override async turn(): Promise<boolean> {
    const checkpoint = await this.documents.getCheckpoint(this.subscription);
    const batch = await readBatch(this.events, checkpoint, this.settings.batchSize, this.eventTypes);
    if (batch.target === null) return false;
    const mapped = batch.events.map((event) => ({ event, messages: this.messagesOf(event) }));
    const acked = await this.publishInKeyOrder(mapped.flatMap(({ messages }) => (messages instanceof Error ? [] : messages)));
    // Events up to the first one with a message the broker did not acknowledge are done; a mapper failure is parked on the way.
    let done: Position | null = null;
    for (const { event, messages } of mapped) {
      if (messages instanceof Error) {
        await this.park(event, messages, done);
      } else if (!messages.every((message) => acked.has(message.id))) {
        if (done !== null) await this.fenced((tx) => tx.setCheckpoint(this.subscription, done as Position));
        throw this.failure instanceof Error ? this.failure : new Error(`The broker did not acknowledge a message: ${String(this.failure)}`);
      }
      done = event.position;
    }
    await this.fenced((tx) => tx.setCheckpoint(this.subscription, batch.target as Position));
    this.lastError = null;
    return !batch.reachedEnd;
  }

  /**
   * Publishes messages of different keys at once and those of one key one after the other, so
   * each key keeps its order even when the broker fails part way: a key stops at its first
   * unacknowledged message. Returns the ids the broker acknowledged.
   */
  private async publishInKeyOrder(messages: readonly IntegrationMessage[]): Promise<Set<string>> {
    const acked = new Set<string>();
    const byKey = new Map<string, IntegrationMessage[]>();
    for (const message of messages) {
      const queue = byKey.get(message.key);
      if (queue) queue.push(message);
      else byKey.set(message.key, [message]);
    }
    const queues = [...byKey.values()];
    this.failure = null;
    const workers = Array.from({ length: Math.min(PUBLISH_CONCURRENCY, queues.length) }, async () => {
      for (let queue = queues.shift(); queue && this.failure === null; queue = queues.shift()) {
        for (const message of queue) {
          try {
            await this.publishTraced(message);
          } catch (error) {
            // The broker refused or is gone: the loop backs off and publishes again from the checkpoint.
            this.failure = error;
            this.lastError = error instanceof Error ? error.message : String(error);
            break;
          }
          acked.add(message.id);
        }
      }
    });
    await Promise.all(workers);
    return acked;
  }

  /**
   * Publishes one message in a producer span, a child of the command that recorded its event,
   * whose context replaces the event's in the message headers: the consumer's inbox span is then
   * a child of this publish, and its commands join the producer's trace.
   */
  private publishTraced(message: IntegrationMessage): Promise<void> {
    const attributes = { 'strata.publisher': this.publisherName, 'strata.message_type': message.type, 'strata.message_id': message.id, 'strata.message_key': message.key };
    return inSpan(`strata.integration.publish ${message.type}`, { attributes, kind: SpanKind.PRODUCER, parent: contextFromCarrier(message.headers) }, () =>
      this.transport.publish({ ...message, headers: { ...message.headers, ...currentTraceCarrier() } }),
    );
  }

  /** The event's messages, or the error the mapper threw (the event is then parked). */
  private messagesOf(event: RecordedEvent): IntegrationMessage[] | Error {
    let mapped: PublishedEvent | readonly PublishedEvent[] | null;
    try {
      mapped = this.mapper.map(event);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    const list: readonly PublishedEvent[] = mapped === null ? [] : Array.isArray(mapped) ? mapped : [mapped as PublishedEvent];
    const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : undefined;
    const headers = { ...(traceCarrierOf(event.metadata) ?? {}), ...(correlationId === undefined ? {} : { 'correlation-id': correlationId }) };
    return list.map((published, index) => ({
      // One event may publish several messages: the index keeps their ids apart, and stable.
      id: deriveId('integration-message', event.id, published.contract.name, String(index)),
      type: published.contract.name,
      version: published.contract.version,
      source: this.source,
      key: published.key ?? event.streamId,
      occurredAt: event.createdAt.toISOString(),
      data: published.data,
      headers,
    }));
  }

  private async park(event: RecordedEvent, error: Error, published: Position | null): Promise<void> {
    await this.fenced(async (tx) => {
      if (published !== null) await tx.setCheckpoint(this.subscription, published);
      await ParkedEvents.park(tx, this.subscription, event, event.streamId, error, 1);
      await tx.setCheckpoint(this.subscription, event.position);
    });
    this.logger.error(`Integration publisher '${this.publisherName}' parked ${event.type} at ${event.position} (stream ${event.streamId}): its mapper threw: ${error.message}`);
  }
}
