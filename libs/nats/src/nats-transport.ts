import { type IntegrationMessage } from '@strata/core';
import { IntegrationTransport, decodeMessage, encodeMessage, partitionOf, type Consumption, type ConsumeOptions, type Delivery } from '@strata/core/adapter';
import type * as Nats from 'nats';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import type { NatsSettings } from './nats-settings';
import { natsUnavailable } from './nats-errors';

/** How many messages a consumer holds unacknowledged: it applies them one at a time, in order. */
const MAX_ACK_PENDING = 256;

/**
 * Integration events on NATS JetStream. A publish carries the message id as `Nats-Msg-Id`, so
 * JetStream drops a repeat within its duplicate window, and resolves on JetStream's ack
 * (stored). Subjects are `<prefix>.<type>.<partition>`; one durable pull consumer per inbox
 * receives its types in stream order.
 */
export class NatsTransport extends IntegrationTransport {
  readonly name = 'nats';
  private streamReady: Promise<void> | null = null;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly jetstream: JetStreamClient,
    private readonly manager: JetStreamManager,
    private readonly settings: NatsSettings,
    private readonly nats: typeof Nats,
  ) {
    super();
  }

  /** Connects (and keeps reconnecting for good); the stream is created on first use. */
  static async connect(settings: NatsSettings): Promise<NatsTransport> {
    // The client is loaded on first connect, so an app that lists this transport but runs without
    // a broker (or a CLI command) never loads it.
    const nats = await import('nats');
    let connection: NatsConnection;
    try {
      connection = await nats.connect({ servers: settings.servers.split(',').map((server) => server.trim()), name: 'strata', reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5_000 });
    } catch (error) {
      throw natsUnavailable(settings.servers, error);
    }
    const manager = await connection.jetstreamManager();
    return new NatsTransport(connection, connection.jetstream({ timeout: settings.publishTimeoutMs }), manager, settings, nats);
  }

  /** The subject a message goes to. */
  subjectOf(message: Pick<IntegrationMessage, 'type' | 'key'>): string {
    return `${this.settings.subjectPrefix}.${message.type}.${partitionOf(message.key, this.settings.partitions)}`;
  }

  async publish(message: IntegrationMessage): Promise<void> {
    await this.ensureStream();
    const headers = this.nats.headers();
    for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
    headers.set('Strata-Key', message.key);
    try {
      await this.jetstream.publish(this.subjectOf(message), encodeMessage(message), { msgID: message.id, headers, timeout: this.settings.publishTimeoutMs });
    } catch (error) {
      throw natsUnavailable(this.settings.servers, error);
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumption> {
    await this.ensureStream();
    const filter = this.filterOf(options.types);
    const config = { durable_name: options.consumer, ack_policy: this.nats.AckPolicy.Explicit, deliver_policy: this.nats.DeliverPolicy.All, ...filter, ack_wait: this.nats.nanos(this.settings.ackWaitMs), max_ack_pending: MAX_ACK_PENDING };
    try {
      await this.manager.consumers.info(this.settings.stream, options.consumer);
      await this.manager.consumers.update(this.settings.stream, options.consumer, { ...filter, ack_wait: config.ack_wait, max_ack_pending: MAX_ACK_PENDING });
    } catch (error) {
      if (!isNotFound(error)) throw natsUnavailable(this.settings.servers, error);
      await this.manager.consumers.add(this.settings.stream, config);
    }
    const consumer = await this.jetstream.consumers.get(this.settings.stream, options.consumer);
    const messages = await consumer.consume({ max_messages: MAX_ACK_PENDING });
    const state = { stopped: false, ended: false };
    const done = this.drain(messages, options, state).finally(() => (state.ended = true));
    return {
      alive: () => !state.ended && !this.connection.isClosed(),
      stop: async () => {
        state.stopped = true;
        await messages.close();
        await done;
      },
    };
  }

  /**
   * The consumer's subject filter. Servers from 2.10 take one subject per type; older ones take
   * one subject, so a consumer of several types filters on the prefix and skips the others.
   */
  private filterOf(types: readonly string[]): { filter_subject: string } | { filter_subjects: string[] } {
    const subjects = types.map((type) => `${this.settings.subjectPrefix}.${type}.*`);
    if (subjects.length === 1) return { filter_subject: subjects[0] as string };
    return this.connection.info !== undefined && atLeast(this.connection.info.version, [2, 10]) ? { filter_subjects: subjects } : { filter_subject: `${this.settings.subjectPrefix}.>` };
  }

  async pending(consumer: string): Promise<number | null> {
    try {
      const info = await this.manager.consumers.info(this.settings.stream, consumer);
      return info.num_pending + info.num_ack_pending;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }

  /** Deletes the stream (tests clean up with it). */
  async deleteStream(): Promise<void> {
    await this.manager.streams.delete(this.settings.stream).catch(() => undefined);
  }

  private async drain(messages: ConsumerMessages, options: ConsumeOptions, state: { stopped: boolean }): Promise<void> {
    for await (const raw of messages) {
      // Messages the client fetched before a stop stay unacknowledged: JetStream delivers them again.
      if (state.stopped) return;
      // A prefix filter (servers before 2.10) also brings the types this consumer did not ask for.
      if (!options.types.some((type) => raw.subject.startsWith(`${this.settings.subjectPrefix}.${type}.`))) {
        await raw.ackAck().catch(() => undefined);
        continue;
      }
      const delivery = toDelivery(raw);
      // Applied one at a time, in order: a store that fails is waited out, the message kept in hand.
      for (let attempt = 1; ; attempt++) {
        try {
          await options.onDelivery(delivery);
          break;
        } catch {
          raw.working();
          await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))));
          if (state.stopped) return;
        }
      }
    }
  }

  private ensureStream(): Promise<void> {
    this.streamReady ??= this.createStream().catch((error: unknown) => {
      this.streamReady = null;
      throw natsUnavailable(this.settings.servers, error);
    });
    return this.streamReady;
  }

  private async createStream(): Promise<void> {
    const subjects = [`${this.settings.subjectPrefix}.>`];
    try {
      await this.manager.streams.info(this.settings.stream);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.manager.streams.add({
        name: this.settings.stream,
        subjects,
        storage: this.nats.StorageType.File,
        retention: this.nats.RetentionPolicy.Limits,
        duplicate_window: this.nats.nanos(this.settings.duplicateWindowMs),
      });
    }
  }
}

function toDelivery(raw: JsMsg): Delivery {
  const decoded = decodeMessage(raw.data);
  return {
    message: decoded.message,
    problem: decoded.problem,
    headers: Object.fromEntries([...(raw.headers ?? [])].map(([name, values]) => [name, values.join(',')])),
    raw: Buffer.from(raw.data).toString('utf8'),
    redeliveries: Math.max(0, raw.info.deliveryCount - 1),
    // Not waited for: an ack lost on the way makes JetStream deliver again, which the inbox's command ids absorb.
    ack: () => {
      raw.ack();
      return Promise.resolve();
    },
    working: () => raw.working(),
  };
}

function atLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [ownMajor = 0, ownMinor = 0] = version.split('.').map(Number);
  return ownMajor > major || (ownMajor === major && ownMinor >= minor);
}

function isNotFound(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /not found/i.test(text);
}
