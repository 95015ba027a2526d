import { ConfigurationError } from '../errors/strata-error';
import type { Environment } from '../module/strata-adapter';

/** How projection runners batch, follow, lease and retry. */
export interface ProjectionSettings {
  /** Events applied per unit of work. */
  readonly batchSize: number;
  /**
   * The most events per unit of work while a replay rebuilds shadow collections; under it,
   * batches are sized by time so none keeps the event loop long (`BatchSizer`).
   */
  readonly replayBatchSize: number;
  /** How often an idle runner looks for appends other processes made. */
  readonly pollIntervalMs: number;
  /** How long a lease holds without renewal; another process may take it after that. */
  readonly leaseTtlMs: number;
  /** Attempts at a failing event, the first included, before it is parked. */
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Start runners when the app boots; a CLI turns this off. */
  readonly autoStart: boolean;
}

export const DEFAULT_PROJECTION_SETTINGS: ProjectionSettings = {
  batchSize: 500,
  replayBatchSize: 5_000,
  pollIntervalMs: 250,
  leaseTtlMs: 15_000,
  maxAttempts: 5,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 5_000,
  autoStart: true,
};

const VARIABLES = {
  batchSize: ['STRATA_PROJECTION_BATCH_SIZE', 2, 100_000],
  replayBatchSize: ['STRATA_REPLAY_BATCH_SIZE', 2, 100_000],
  pollIntervalMs: ['STRATA_PROJECTION_POLL_MS', 1, 60_000],
  leaseTtlMs: ['STRATA_PROJECTION_LEASE_MS', 100, 3_600_000],
  maxAttempts: ['STRATA_PROJECTION_MAX_ATTEMPTS', 1, 100],
} as const;

/** Defaults, overridden by the environment, overridden by code; each value is range-checked. */
export function resolveProjectionSettings(env: Environment, overrides: Partial<ProjectionSettings> = {}): ProjectionSettings {
  const settings: Record<string, number | boolean> = { ...DEFAULT_PROJECTION_SETTINGS };
  for (const [key, [variable, min, max]] of Object.entries(VARIABLES)) {
    const text = env[variable]?.trim();
    if (text) settings[key] = parseWhole(variable, text, min, max);
  }
  const merged = { ...settings, ...overrides } as ProjectionSettings;
  for (const [key, [variable, min, max]] of Object.entries(VARIABLES)) {
    const value = merged[key as keyof typeof VARIABLES];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigurationError(variable, `${key} must be a whole number from ${min} to ${max}, got ${String(value)}.`);
    }
  }
  return merged;
}

/** Parses a whole number setting, naming the variable when it is not one in range. */
export function parseWhole(variable: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigurationError(variable, `'${text}' is not a whole number from ${min} to ${max}.`);
  }
  return value;
}
