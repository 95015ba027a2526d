import { ConfigurationError, type Environment } from '@strata/core';

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
