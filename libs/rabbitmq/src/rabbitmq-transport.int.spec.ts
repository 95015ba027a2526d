import { describeIntegrationTraceContract, describeIntegrationTransportContract, type TransportFactory } from '@strata/core/testing';
import { describeWithService, RecordingTracer } from '@strata/testing';
import { rabbitMqSettingsFrom } from './rabbitmq-settings';
import { RabbitMqTransport } from './rabbitmq-transport';

const url = process.env['STRATA_RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const { hostname, port } = new URL(url);

describeWithService('RabbitMQ transport', { name: 'RabbitMQ', host: hostname, port: Number(port || 5672) }, () => {
  const factory: TransportFactory = {
    create: (scope) => RabbitMqTransport.connect(rabbitMqSettingsFrom({ STRATA_RABBITMQ_URL: url, STRATA_RABBITMQ_EXCHANGE: `strata.test.${scope}` })),
    cleanup: async (transport, scope) => {
      for (const suffix of ['a', 'late', 'b', 'p']) await (transport as RabbitMqTransport).deleteQueue(`${scope}-${suffix}`);
    },
  };
  describeIntegrationTransportContract('RabbitMQ', factory);
  describeIntegrationTraceContract('RabbitMQ', factory, () => RecordingTracer.install());
});
