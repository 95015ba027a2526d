export { natsTransport } from './nats-transport-factory';
export { NatsTransport } from './nats-transport';
export { natsSettingsFrom, type NatsSettings } from './nats-settings';
