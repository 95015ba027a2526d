import { StrataError, type IntegrationMessage } from '@strata/core';
import { IntegrationTransport, decodeMessage, encodeMessage, partitionOf, type Consumption, type ConsumeOptions, type Delivery } from '@strata/core/adapter';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { redact, type RabbitMqSettings } from './rabbitmq-settings';

/**
 * Integration events on RabbitMQ: a durable topic exchange, persistent messages and publisher
 * confirms (a publish resolves once the broker has taken the message). Routing keys are
 * `<type>.<partition>`; each inbox has one durable queue, bound to its types, which it
 * consumes one message at a time. RabbitMQ does not drop repeats: the inbox's command ids do.
 */
export class RabbitMqTransport extends IntegrationTransport {
  readonly name = 'rabbitmq';
  private connection: ChannelModel | null = null;
  private publishing: Promise<ConfirmChannel> | null = null;
  private closed = false;

  constructor(private readonly settings: RabbitMqSettings) {
    super();
  }

  /** Connects once to check the URL and the broker, so a mistake stops the start. */
  static async connect(settings: RabbitMqSettings): Promise<RabbitMqTransport> {
    const transport = new RabbitMqTransport(settings);
    await transport.channel();
    return transport;
  }

  routingKeyOf(message: Pick<IntegrationMessage, 'type' | 'key'>): string {
    return `${message.type}.${partitionOf(message.key, this.settings.partitions)}`;
  }

  async publish(message: IntegrationMessage): Promise<void> {
    const channel = await this.channel();
    const options = {
      persistent: true,
      messageId: message.id,
      type: message.type,
      contentType: 'application/json',
      timestamp: Math.floor(Date.parse(message.occurredAt) / 1000),
      headers: { ...message.headers, 'strata-key': message.key },
    };
    try {
      // This message's own confirm: waitForConfirms would also wait for every publish in flight beside it.
      await new Promise<void>((resolve, reject) => {
        channel.publish(this.settings.exchange, this.routingKeyOf(message), encodeMessage(message), options, (error) => (error ? reject(error as Error) : resolve()));
      });
    } catch (error) {
      this.publishing = null;
      throw this.unavailable(error);
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumption> {
    const connection = await this.connect();
    const channel = await connection.createChannel();
    await channel.assertExchange(this.settings.exchange, 'topic', { durable: true });
    await channel.assertQueue(options.consumer, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    for (const type of options.types) await channel.bindQueue(options.consumer, this.settings.exchange, `${type}.*`);
    await channel.prefetch(this.settings.prefetch);
    const state = { stopped: false, closed: false, chain: Promise.resolve() };
    channel.on('error', () => undefined);
    channel.on('close', () => (state.closed = true));
    const { consumerTag } = await channel.consume(options.consumer, (raw) => {
      if (raw === null) return;
      // Deliveries arrive faster than they apply: chain them, so they apply one at a time, in order.
      state.chain = state.chain.then(() => this.deliver(channel, raw, options, state));
    });
    return {
      alive: () => !state.closed,
      stop: async () => {
        state.stopped = true;
        await channel.cancel(consumerTag).catch(() => undefined);
        await state.chain;
        // Closing the channel hands what it holds unacknowledged back to the queue, in order.
        await channel.close().catch(() => undefined);
      },
    };
  }

  async pending(consumer: string): Promise<number | null> {
    try {
      const connection = await this.connect();
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        return (await channel.checkQueue(consumer)).messageCount;
      } finally {
        await channel.close().catch(() => undefined);
      }
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    this.publishing = null;
    await connection?.close().catch(() => undefined);
  }

  /** Deletes a queue (tests and operators clean up with it); the exchange stays, as other queues may be bound to it. */
  async deleteQueue(queue: string): Promise<void> {
    const channel = await (await this.connect()).createChannel();
    await channel.deleteQueue(queue).catch(() => undefined);
    await channel.close().catch(() => undefined);
  }

  /** Deletes this transport's exchange once it is done with it and its queues are gone (a test's own exchange, say). */
  async deleteExchange(): Promise<void> {
    const channel = await (await this.connect()).createChannel();
    await channel.deleteExchange(this.settings.exchange).catch(() => undefined);
    await channel.close().catch(() => undefined);
  }

  private async deliver(channel: Channel, raw: ConsumeMessage, options: ConsumeOptions, state: { stopped: boolean }): Promise<void> {
    if (state.stopped) return;
    const delivery = toDelivery(channel, raw);
    for (let attempt = 1; !state.stopped; attempt++) {
      try {
        await options.onDelivery(delivery);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))));
      }
    }
  }

  private channel(): Promise<ConfirmChannel> {
    this.publishing ??= (async () => {
      const connection = await this.connect();
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => (this.publishing = null));
      await channel.assertExchange(this.settings.exchange, 'topic', { durable: true });
      return channel;
    })().catch((error: unknown) => {
      this.publishing = null;
      throw this.unavailable(error);
    });
    return this.publishing;
  }

  private async connect(): Promise<ChannelModel> {
    if (this.closed) throw new StrataError('BROKER_UNAVAILABLE', 'The RabbitMQ transport is closed.');
    if (this.connection) return this.connection;
    try {
      // Loaded on first connect: an app that lists this transport but runs without a broker never loads it.
      const { connect } = await import('amqplib');
      const connection = await connect(this.settings.url, { timeout: 5_000 });
      connection.on('error', () => undefined);
      connection.on('close', () => {
        if (this.connection === connection) this.connection = null;
        this.publishing = null;
      });
      this.connection = connection;
      return connection;
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(cause: unknown): StrataError {
    if (StrataError.isStrataError(cause)) return cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new StrataError('BROKER_UNAVAILABLE', `RabbitMQ at ${redact(this.settings.url)} did not accept the request (${reason}). Check that the broker runs and the credentials are right.`, { cause });
  }
}

function toDelivery(channel: Channel, raw: ConsumeMessage): Delivery {
  const decoded = decodeMessage(raw.content);
  const deliveryCount: unknown = raw.properties.headers?.['x-delivery-count'];
  return {
    message: decoded.message,
    problem: decoded.problem,
    headers: textHeaders(raw.properties.headers),
    raw: raw.content.toString('utf8'),
    redeliveries: typeof deliveryCount === 'number' ? deliveryCount : raw.fields.redelivered ? 1 : 0,
    ack: () => {
      channel.ack(raw);
      return Promise.resolve();
    },
    // RabbitMQ holds an unacknowledged delivery until the channel closes: nothing to renew.
    working: () => undefined,
  };
}

/** The headers that hold text (amqplib gives long strings as strings, byte arrays as Buffers). */
function textHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') text[name] = value;
    else if (Buffer.isBuffer(value)) text[name] = value.toString('utf8');
  }
  return text;
}
