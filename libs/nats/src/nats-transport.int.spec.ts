import { describeIntegrationTraceContract, describeIntegrationTransportContract, type TransportFactory } from '@strata/core/testing';
import { describeWithService, RecordingTracer } from '@strata/testing';
import { natsSettingsFrom } from './nats-settings';
import { NatsTransport } from './nats-transport';

const url = process.env['STRATA_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const { hostname, port } = new URL(url.split(',')[0] as string);

describeWithService('NATS JetStream transport', { name: 'NATS', host: hostname, port: Number(port || 4222) }, () => {
  const factory: TransportFactory = {
    create: (scope) => NatsTransport.connect(natsSettingsFrom({ STRATA_NATS_URL: url, STRATA_NATS_STREAM: `T_${scope}`, STRATA_NATS_SUBJECT_PREFIX: `t${scope}`, STRATA_NATS_ACK_WAIT_MS: '1000' })),
    cleanup: (transport) => (transport as NatsTransport).deleteStream(),
  };
  describeIntegrationTransportContract('NATS JetStream', factory);
  describeIntegrationTraceContract('NATS JetStream', factory, () => RecordingTracer.install());
});
