import { StrataError } from '@strata/core';

/** The broker could not be reached, or did not acknowledge: the publisher waits and tries again. */
export function natsUnavailable(servers: string, cause: unknown): StrataError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StrataError('BROKER_UNAVAILABLE', `NATS JetStream at ${servers} did not accept the request (${reason}). Check that the server runs with JetStream (-js) and is reachable.`, { cause });
}
