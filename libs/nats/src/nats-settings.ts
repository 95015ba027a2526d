import { ConfigurationError, type Environment } from '@strata/core';
import { wholeSetting } from '@strata/core/adapter';

/** Where the JetStream transport connects, and how it names its stream and subjects. */
export interface NatsSettings {
  /** Comma-separated `nats://host:port` URLs. */
  readonly servers: string;
  /** The JetStream stream that keeps integration events. */
  readonly stream: string;
  /** The first subject token: messages go to `<prefix>.<type>.<partition>`. */
  readonly subjectPrefix: string;
  /** Partitions per type: one key always maps to one partition, so its order holds. */
  readonly partitions: number;
  /** How long JetStream remembers message ids to drop repeats. */
  readonly duplicateWindowMs: number;
  /** How long a delivered message may stay unacknowledged before JetStream delivers it again. */
  readonly ackWaitMs: number;
  /** How long a publish waits for JetStream's acknowledgement. */
  readonly publishTimeoutMs: number;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Reads `STRATA_NATS_*`, each checked, with defaults for a local server. */
export function natsSettingsFrom(env: Environment): NatsSettings {
  const servers = env['STRATA_NATS_URL']?.trim() || 'nats://127.0.0.1:4222';
  for (const server of servers.split(',')) {
    let url: URL;
    try {
      url = new URL(server.trim());
    } catch {
      throw new ConfigurationError('STRATA_NATS_URL', `'${server}' is not a URL; use nats://host:4222 (comma-separated for a cluster).`);
    }
    if (!['nats:', 'tls:', 'ws:', 'wss:'].includes(url.protocol)) throw new ConfigurationError('STRATA_NATS_URL', `'${server}' must start with nats://, tls://, ws:// or wss://.`);
  }
  const stream = env['STRATA_NATS_STREAM']?.trim() || 'STRATA_INTEGRATION';
  if (!TOKEN.test(stream)) throw new ConfigurationError('STRATA_NATS_STREAM', `'${stream}' may hold only letters, digits, '-' and '_'.`);
  const subjectPrefix = env['STRATA_NATS_SUBJECT_PREFIX']?.trim() || 'strata';
  if (!TOKEN.test(subjectPrefix)) throw new ConfigurationError('STRATA_NATS_SUBJECT_PREFIX', `'${subjectPrefix}' must be one subject token: letters, digits, '-' and '_'.`);
  return {
    servers,
    stream,
    subjectPrefix,
    partitions: wholeSetting(env, 'STRATA_NATS_PARTITIONS', 16, 1, 1024),
    duplicateWindowMs: wholeSetting(env, 'STRATA_NATS_DUPLICATE_WINDOW_MS', 24 * 3_600_000, 1_000, 7 * 24 * 3_600_000),
    ackWaitMs: wholeSetting(env, 'STRATA_NATS_ACK_WAIT_MS', 30_000, 1_000, 3_600_000),
    publishTimeoutMs: wholeSetting(env, 'STRATA_NATS_PUBLISH_TIMEOUT_MS', 5_000, 100, 600_000),
  };
}
