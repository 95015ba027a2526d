// The brokers figure 7 runs on: for each, Strata's transport on names of the run's own, and the
// bare official client publishing the same messages with the same acknowledgements (a JetStream
// ack, a RabbitMQ publisher confirm), the baseline the outbox publisher is held to.
import { randomUUID } from 'node:crypto';
import { integrationEvent, type IntegrationMessage } from '@strata/core';
import { encodeMessage, type IntegrationTransport } from '@strata/core/adapter';
import { natsSettingsFrom, NatsTransport } from '@strata/nats';
import { rabbitMqSettingsFrom, RabbitMqTransport } from '@strata/rabbitmq';
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect, headers as natsHeaders } from 'nats';
import { IsInt, IsString } from 'class-validator';

class Tick {
  @IsString() id!: string;
  @IsInt() n!: number;
}
/** The contract figure 7 publishes and consumes. */
export const TickV1 = integrationEvent('bench.tick', 1, Tick);

/** One broker of the figure; `scope` keeps one run's streams, exchanges and queues apart. */
export interface BenchBroker {
  readonly id: 'nats' | 'rabbitmq';
  readonly title: string;
  transport(scope: string): Promise<IntegrationTransport>;
  /** Publishes `messages` with the bare client, `inFlight` awaiting their acks at once; returns messages/s. */
  bare(scope: string, messages: readonly IntegrationMessage[], inFlight: number): Promise<number>;
  /** Removes what the run made on the broker. */
  cleanup(scope: string, consumers: readonly string[]): Promise<void>;
}

/** Runs `publishOne` over `messages` with `inFlight` calls under way at once; returns messages/s. */
async function timedPublishes(messages: readonly IntegrationMessage[], inFlight: number, publishOne: (message: IntegrationMessage) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let message = messages[next++]; message !== undefined; message = messages[next++]) await publishOne(message);
    }),
  );
  return (messages.length * 1000) / (performance.now() - started);
}

function warmup(): IntegrationMessage {
  return { id: randomUUID(), type: 'bench.warmup', version: 1, source: 'bench', key: 'k', occurredAt: new Date().toISOString(), data: {}, headers: {} };
}

export function natsBroker(url: string): BenchBroker {
  const settings = (scope: string) => natsSettingsFrom({ STRATA_NATS_URL: url, STRATA_NATS_STREAM: `BENCH_${scope}`, STRATA_NATS_SUBJECT_PREFIX: `bench${scope}` });
  return {
    id: 'nats',
    title: 'NATS JetStream',
    transport: (scope) => NatsTransport.connect(settings(scope)),
    async bare(scope, messages, inFlight) {
      // The transport creates the stream (first publish); the bare client then publishes to it.
      const stream = await NatsTransport.connect(settings(scope));
      await stream.publish(warmup());
      const connection = await natsConnect({ servers: url });
      const jetstream = connection.jetstream();
      try {
        return await timedPublishes(messages, inFlight, async (message) => {
          const headers = natsHeaders();
          for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
          headers.set('Strata-Key', message.key);
          await jetstream.publish(stream.subjectOf(message), encodeMessage(message), { msgID: message.id, headers });
        });
      } finally {
        await connection.close();
        await stream.close();
      }
    },
    async cleanup(scope) {
      const transport = await NatsTransport.connect(settings(scope));
      await transport.deleteStream();
      await transport.close();
    },
  };
}

export function rabbitMqBroker(url: string): BenchBroker {
  const settings = (scope: string) => rabbitMqSettingsFrom({ STRATA_RABBITMQ_URL: url, STRATA_RABBITMQ_EXCHANGE: `strata.bench.${scope}` });
  return {
    id: 'rabbitmq',
    title: 'RabbitMQ',
    transport: (scope) => RabbitMqTransport.connect(settings(scope)),
    async bare(scope, messages, inFlight) {
      const routing = new RabbitMqTransport(settings(scope));
      const connection = await amqpConnect(url);
      const channel = await connection.createConfirmChannel();
      await channel.assertExchange(settings(scope).exchange, 'topic', { durable: true });
      try {
        return await timedPublishes(messages, inFlight, (message) => {
          const options = { persistent: true, messageId: message.id, type: message.type, contentType: 'application/json', headers: { ...message.headers, 'strata-key': message.key } };
          // The confirm of this one message, as the client reports it.
          return new Promise<void>((resolve, reject) => {
            channel.publish(settings(scope).exchange, routing.routingKeyOf(message), encodeMessage(message), options, (error) => (error ? reject(error as Error) : resolve()));
          });
        });
      } finally {
        await channel.close();
        await connection.close();
      }
    },
    async cleanup(scope, consumers) {
      const transport = new RabbitMqTransport(settings(scope));
      for (const consumer of consumers) await transport.deleteQueue(consumer);
      const connection = await amqpConnect(url);
      const channel = await connection.createChannel();
      await channel.deleteExchange(settings(scope).exchange);
      await connection.close();
      await transport.close();
    },
  };
}
