import { UsageError } from '../cli-errors';

/** Parses a flag's whole-number value, refusing anything outside `min..max` as a usage error naming the flag. */
export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not '${text}'.`);
  }
  return value;
}

/** Checks that exactly one of the two ways to name targets was used. */
export function exactlyOne(command: string, given: readonly string[], all: boolean, what: string): void {
  if (given.length > 0 && all) throw new UsageError(`${command}: name ${what} or pass --all, not both.`);
  if (given.length === 0 && !all) throw new UsageError(`${command}: name ${what}, or pass --all.`);
}
