import type { Environment } from '../module/strata-adapter';
import { parseWhole } from '../projections/projection-settings';

/** A whole-number variable in `[min, max]`, or `fallback` when it is unset or blank. */
export function wholeSetting(env: Environment, variable: string, fallback: number, min: number, max: number): number {
  const text = env[variable]?.trim();
  return text ? parseWhole(variable, text, min, max) : fallback;
}

/** A trimmed text variable, or undefined when it is unset or blank. */
export function textSetting(env: Environment, variable: string): string | undefined {
  const text = env[variable]?.trim();
  return text === undefined || text === '' ? undefined : text;
}
