import type { Environment } from '../module/strata-adapter';
import type { StrataModuleOptions } from '../module/strata-options';
import { parseWhole } from '../projections/projection-settings';
import { ConfigurationError } from '../errors/strata-error';

export const POSITION_HEADER = 'x-strata-position';
export const CONSISTENCY_TIMEOUT_VARIABLE = 'STRATA_CONSISTENCY_TIMEOUT_MS';
export const DEFAULT_CONSISTENCY_TIMEOUT_MS = 5_000;
const MAX_TIMEOUT_MS = 60_000;

/** How long a read-your-writes query may wait: code, else `STRATA_CONSISTENCY_TIMEOUT_MS`, else 5 s. */
export function consistencyTimeoutMs(options: StrataModuleOptions, env: Environment = options.env ?? process.env): number {
  const configured = options.consistency?.timeoutMs;
  if (configured !== undefined) {
    if (!Number.isSafeInteger(configured) || configured < 0 || configured > MAX_TIMEOUT_MS) {
      throw new ConfigurationError(CONSISTENCY_TIMEOUT_VARIABLE, `consistency.timeoutMs must be a whole number from 0 to ${MAX_TIMEOUT_MS}, got ${String(configured)}.`);
    }
    return configured;
  }
  const text = env[CONSISTENCY_TIMEOUT_VARIABLE]?.trim();
  return text ? parseWhole(CONSISTENCY_TIMEOUT_VARIABLE, text, 0, MAX_TIMEOUT_MS) : DEFAULT_CONSISTENCY_TIMEOUT_MS;
}
