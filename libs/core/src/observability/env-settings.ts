import { ConfigurationError } from '../errors/strata-error';
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

/** `true` or `false` (default false); anything else is refused rather than guessed. */
export function booleanSetting(env: Environment, variable: string): boolean {
  const text = textSetting(env, variable)?.toLowerCase() ?? 'false';
  if (text !== 'true' && text !== 'false') throw new ConfigurationError(variable, `'${text}' is not true or false.`);
  return text === 'true';
}
