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

/**
 * Why listening failed, blamed on the setting that can fix it; undefined for other errors.
 * Node reports these as errno codes on the error `listen` rejects with.
 */
export function listenFailure(error: unknown, { port, host }: ListenOptions): ConfigurationError | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'EADDRINUSE':
      return new ConfigurationError('PORT', `${port} is already in use on ${host}. Stop what holds it, or choose another port.`);
    case 'EACCES':
      return new ConfigurationError('PORT', `${port} needs privileges this process does not have on ${host}. Choose a port above 1023.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ConfigurationError('HOST', `'${host}' is not an address of this machine. Use 0.0.0.0, 127.0.0.1 or one of its interfaces.`);
    default:
      return undefined;
  }
}

/** How long a transfer may wait for its withdrawal before it is compensated and failed. */
export const TRANSFER_TIMEOUT_VARIABLE = 'TRANSFER_TIMEOUT_MS';
export const DEFAULT_TRANSFER_TIMEOUT_MS = 30_000;
const MAX_TRANSFER_TIMEOUT_MS = 86_400_000;

/** Reads `TRANSFER_TIMEOUT_MS` (default 30000), refusing anything but a whole number of ms from 1 to a day. */
export function transferTimeoutMsFrom(env: Environment): number {
  const text = env[TRANSFER_TIMEOUT_VARIABLE]?.trim();
  if (!text) return DEFAULT_TRANSFER_TIMEOUT_MS;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_TRANSFER_TIMEOUT_MS) {
    throw new ConfigurationError(TRANSFER_TIMEOUT_VARIABLE, `'${text}' is not a whole number of milliseconds from 1 to ${MAX_TRANSFER_TIMEOUT_MS}.`);
  }
  return value;
}
