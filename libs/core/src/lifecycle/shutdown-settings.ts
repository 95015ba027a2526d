import type { Environment } from '../module/strata-adapter';
import { wholeSetting } from '../observability/env-settings';

/** How a graceful shutdown paces itself. */
export interface ShutdownSettings {
  /** The whole shutdown must end within this; past it the process exits 1 with what was left. */
  readonly timeoutMs: number;
  /** How long to keep serving with readiness false before closing the listener, so load balancers notice first. */
  readonly delayMs: number;
}

/** Reads `STRATA_SHUTDOWN_TIMEOUT_MS` (default 10000) and `STRATA_SHUTDOWN_DELAY_MS` (default 0). */
export function shutdownSettingsFrom(env: Environment): ShutdownSettings {
  const timeoutMs = wholeSetting(env, 'STRATA_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000);
  const delayMs = wholeSetting(env, 'STRATA_SHUTDOWN_DELAY_MS', 0, 0, 600_000);
  return { timeoutMs, delayMs };
}
