import { describeIntegrationTraceContract, describeIntegrationTransportContract, type TransportFactory } from '@strata/core/testing';
import { randomUUID } from 'node:crypto';
import { describeWithService, RecordingTracer } from '@strata/testing';
import { connect } from 'amqplib';
import { rabbitMqSettingsFrom } from './rabbitmq-settings';
import { RabbitMqTransport } from './rabbitmq-transport';

const url = process.env['STRATA_RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const { hostname, port } = new URL(url);

describeWithService('RabbitMQ transport', { name: 'RabbitMQ', host: hostname, port: Number(port || 5672) }, () => {
  const factory: TransportFactory = {
    create: (scope) => RabbitMqTransport.connect(rabbitMqSettingsFrom({ STRATA_RABBITMQ_URL: url, STRATA_RABBITMQ_EXCHANGE: `strata.test.${scope}` })),
    cleanup: async (transport, scope) => {
      for (const suffix of ['a', 'late', 'b', 'p']) await (transport as RabbitMqTransport).deleteQueue(`${scope}-${suffix}`);
      await (transport as RabbitMqTransport).deleteExchange();
    },
  };
  describeIntegrationTransportContract('RabbitMQ', factory);
  describeIntegrationTraceContract('RabbitMQ', factory, () => RecordingTracer.install());

  it('deletes its exchange once done, so test runs leave none behind', async () => {
    const exchange = `strata.test.${randomUUID()}`;
    const transport = await RabbitMqTransport.connect(rabbitMqSettingsFrom({ STRATA_RABBITMQ_URL: url, STRATA_RABBITMQ_EXCHANGE: exchange }));
    const admin = await connect(url);
    try {
      await transport.consume({ consumer: `${exchange}-q`, types: ['t.v1'], onDelivery: async () => undefined }).then((consumption) => consumption.stop());
      const exists = async (): Promise<boolean> => {
        const channel = await admin.createChannel();
        channel.on('error', () => undefined);
        // checkExchange closes the channel with 404 when the exchange is gone.
        return channel.checkExchange(exchange).then(
          async () => (await channel.close(), true),
          () => false,
        );
      };
      expect(await exists()).toBe(true);
      await transport.deleteQueue(`${exchange}-q`);
      await transport.deleteExchange();
      expect(await exists()).toBe(false);
    } finally {
      await admin.close();
      await transport.close();
    }
  });
});
