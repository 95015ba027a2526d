import { ConfigurationError, type Environment } from '@strata/core';

/** How the CLI behaves, from the environment. */
export interface CliSettings {
  /** How often a replay prints a progress line when stderr is not a terminal. */
  readonly progressIntervalMs: number;
}

export const CLI_SETTINGS = Symbol('STRATA_CLI_SETTINGS');

export const PROGRESS_VARIABLE = 'STRATA_CLI_PROGRESS_MS';

/** Reads `STRATA_CLI_PROGRESS_MS` (default 5000), naming it when it is not a whole number from 100 to 3600000. */
export function cliSettingsFrom(env: Environment): CliSettings {
  const text = env[PROGRESS_VARIABLE]?.trim() || '5000';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 100 || value > 3_600_000) {
    throw new ConfigurationError(PROGRESS_VARIABLE, `'${text}' is not a whole number of milliseconds from 100 to 3600000.`);
  }
  return { progressIntervalMs: value };
}
