import { ConfigurationError } from '../errors/strata-error';
import type { Environment } from '../module/strata-adapter';

/** Where an app listens. */
export interface ListenOptions {
  readonly port: number;
  readonly host: string;
}

/** Reads `PORT` (default 3000) and `HOST` (default 0.0.0.0), refusing a port that is not one. */
export function listenOptionsFrom(env: Environment): ListenOptions {
  const text = env['PORT']?.trim() || '3000';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new ConfigurationError('PORT', `'${text}' is not a TCP port. Set it to an integer from 0 to 65535.`);
  }
  return { port, host: env['HOST']?.trim() || '0.0.0.0' };
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
