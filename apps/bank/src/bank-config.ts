import { ConfigurationError, type Environment } from '@strata/core';

/** Where the bank listens. */
export interface ListenOptions {
  readonly port: number;
  readonly host: string;
}

/** Reads `PORT` (default 3000) and `HOST` (default 0.0.0.0), refusing a port that is not one. */
export function listenOptionsFrom(env: Environment): ListenOptions {
  const text = env.PORT?.trim() || '3000';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new ConfigurationError('PORT', `'${text}' is not a TCP port. Set it to an integer from 0 to 65535.`);
  }
  return { port, host: env.HOST?.trim() || '0.0.0.0' };
}
