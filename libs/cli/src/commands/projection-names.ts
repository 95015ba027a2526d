import type { Projections } from '@strata/core';
import { UsageError } from '../cli-errors';

/** Checks projection names against the app's, so a typo is a usage error that lists the known names. */
export function knownProjections(projections: Projections, names: readonly string[]): string[] {
  const unknown = names.filter((name) => !projections.names.includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `'${name}'`).join(', ');
    throw new UsageError(
      `There is no projection ${list}. Known projections: ${projections.names.join(', ') || 'none'}.`,
    );
  }
  return [...new Set(names)];
}
