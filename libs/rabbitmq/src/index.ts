export { rabbitmqTransport } from './rabbitmq-transport-factory';
export { RabbitMqTransport } from './rabbitmq-transport';
export { rabbitMqSettingsFrom, type RabbitMqSettings } from './rabbitmq-settings';
