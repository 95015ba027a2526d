import type { Environment } from '../module/strata-adapter';
import { textSetting, wholeSetting } from '../observability/env-settings';
import { parseWhole } from '../projections/projection-settings';

/** Requests per client per window; unset means throttling is off. */
export const THROTTLE_LIMIT_VARIABLE = 'STRATA_THROTTLE_LIMIT';
/** The throttling window in milliseconds. */
export const THROTTLE_TTL_VARIABLE = 'STRATA_THROTTLE_TTL_MS';

/** Requests per client per window; off when `limit` is null. */
export interface ThrottleSettings {
  readonly limit: number | null;
  readonly ttlMs: number;
}

/** Reads `STRATA_THROTTLE_LIMIT` (unset: off) and `STRATA_THROTTLE_TTL_MS` (default 60000). */
export function throttleSettingsFrom(env: Environment): ThrottleSettings {
  const limit = textSetting(env, THROTTLE_LIMIT_VARIABLE);
  return {
    limit: limit === undefined ? null : parseWhole(THROTTLE_LIMIT_VARIABLE, limit, 1, 1_000_000),
    ttlMs: wholeSetting(env, THROTTLE_TTL_VARIABLE, 60_000, 100, 86_400_000),
  };
}
