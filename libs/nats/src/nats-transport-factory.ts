import type { IntegrationTransportFactory } from '@strata/core/adapter';
import { natsSettingsFrom } from './nats-settings';
import { NatsTransport } from './nats-transport';

/** Selected by `STRATA_INTEGRATION_TRANSPORT=nats`; settings from `STRATA_NATS_*`. */
export const natsTransport: IntegrationTransportFactory = {
  name: 'nats',
  create: (env) => NatsTransport.connect(natsSettingsFrom(env)),
};
