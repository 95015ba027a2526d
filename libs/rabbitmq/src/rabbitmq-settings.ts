import { ConfigurationError, type Environment } from '@strata/core';
import { wholeSetting } from '@strata/core/adapter';

/** Where the RabbitMQ transport connects, and how it names its exchange. */
export interface RabbitMqSettings {
  /** `amqp://user:password@host:5672/vhost`. */
  readonly url: string;
  /** The durable topic exchange integration events are published to. */
  readonly exchange: string;
  /** Partitions per type: one key always maps to one routing key, so its order holds. */
  readonly partitions: number;
  /** How many deliveries a consumer holds unacknowledged; it applies them one at a time, in order. */
  readonly prefetch: number;
}

const NAME = /^[A-Za-z0-9_.:-]+$/;

/** Reads `STRATA_RABBITMQ_*`, each checked, with defaults for a local broker. */
export function rabbitMqSettingsFrom(env: Environment): RabbitMqSettings {
  const url = env['STRATA_RABBITMQ_URL']?.trim() || 'amqp://guest:guest@127.0.0.1:5672';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError('STRATA_RABBITMQ_URL', `'${redact(url)}' is not a URL; use amqp://user:password@host:5672/vhost.`);
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') throw new ConfigurationError('STRATA_RABBITMQ_URL', `'${redact(url)}' must start with amqp:// or amqps://.`);
  const exchange = env['STRATA_RABBITMQ_EXCHANGE']?.trim() || 'strata.integration';
  if (!NAME.test(exchange)) throw new ConfigurationError('STRATA_RABBITMQ_EXCHANGE', `'${exchange}' may hold only letters, digits, '.', ':', '-' and '_'.`);
  return {
    url,
    exchange,
    partitions: wholeSetting(env, 'STRATA_RABBITMQ_PARTITIONS', 16, 1, 1024),
    prefetch: wholeSetting(env, 'STRATA_RABBITMQ_PREFETCH', 256, 1, 65_535),
  };
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
