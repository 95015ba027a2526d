import type { Environment } from '../module/strata-adapter';
import { booleanSetting, wholeSetting } from './env-settings';

/** How far behind the log a projection or saga may be while the app still reports ready. */
export interface ReadinessSettings {
  readonly maxLagEvents: number;
  readonly maxLagSeconds: number;
  /**
   * Ready while a projection version of this code has not yet caught up with the log (a new
   * version building its read model from the start): queries then see a partial read model.
   */
  readonly readyWhileBuilding: boolean;
}

/**
 * Reads `STRATA_READY_MAX_LAG_EVENTS` (default 1000), `STRATA_READY_MAX_LAG_SECONDS` (default 30)
 * and `STRATA_READY_WHILE_BUILDING` (default false).
 */
export function readinessSettingsFrom(env: Environment): ReadinessSettings {
  return {
    maxLagEvents: wholeSetting(env, 'STRATA_READY_MAX_LAG_EVENTS', 1_000, 0, 1_000_000_000),
    maxLagSeconds: wholeSetting(env, 'STRATA_READY_MAX_LAG_SECONDS', 30, 0, 86_400),
    readyWhileBuilding: booleanSetting(env, 'STRATA_READY_WHILE_BUILDING'),
  };
}
