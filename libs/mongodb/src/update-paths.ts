import { documentError, type ValidatedUpdate } from '@strata/core/adapter';

/**
 * Refuses an update that names one path twice, or a path and its parent, across operators
 * (`$set: { a: 1 }, $inc: { a: 1 }`). MongoDB refuses it too, but inside a transaction its
 * refusal aborts the whole unit of work, where the embedded store fails just the operation.
 */
export function assertDistinctPaths(update: ValidatedUpdate): void {
  const seen: string[] = [];
  for (const fields of update.values()) {
    for (const path of Object.keys(fields)) {
      const clash = seen.find((other) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`));
      if (clash !== undefined) {
        throw documentError('INVALID_UPDATE', `Updating '${path}' would conflict with '${clash}' in the same update; change each path once.`);
      }
      seen.push(path);
    }
  }
}
