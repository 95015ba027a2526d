import type { IntegrationTransportFactory } from '@strata/core/adapter';
import { rabbitMqSettingsFrom } from './rabbitmq-settings';
import { RabbitMqTransport } from './rabbitmq-transport';

/** Selected by `STRATA_INTEGRATION_TRANSPORT=rabbitmq`; settings from `STRATA_RABBITMQ_*`. */
export const rabbitmqTransport: IntegrationTransportFactory = {
  name: 'rabbitmq',
  create: (env) => RabbitMqTransport.connect(rabbitMqSettingsFrom(env)),
};
