import { invalid } from './document-errors';
import { describe, isPlainObject, type JsonObject } from './json-document';
import type { ValidatedUpdate } from './update-validation';

const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pull']);

/**
 * Refuses the updates MongoDB rejects but mingo silently skips: `$inc` on a non-number,
 * `$push`/`$addToSet`/`$pull` on a non-array, and creating a field inside a scalar or by name
 * inside an array. Without this check such an update would report success and change nothing.
 */
export function checkUpdateTargets(document: JsonObject, update: ValidatedUpdate): void {
  for (const [operator, fields] of update) {
    // MongoDB treats unsetting through a missing or scalar parent as a no-op, as mingo does.
    if (operator === '$unset') continue;
    for (const path of Object.keys(fields)) checkTarget(document, operator, path);
  }
}

function checkTarget(document: JsonObject, operator: string, path: string): void {
  const segments = path.split('.');
  let current: unknown = document;
  for (const [index, segment] of segments.entries()) {
    // Positional segments pick elements by the filter; mingo resolves and checks those.
    if (segment.startsWith('$')) return;
    const parent = segments.slice(0, index).join('.');
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) {
        throw invalid('INVALID_UPDATE', `${operator} cannot use '${segment}' of '${path}' on the array at '${parent}'; use an index or '$'.`);
      }
      current = current[Number(segment)];
    } else if (isPlainObject(current)) {
      current = current[segment];
    } else {
      if (operator === '$pull') return;
      throw invalid('INVALID_UPDATE', `${operator} cannot create '${path}': '${parent}' holds ${describe(current)}, not an object.`);
    }
    if (current === undefined) return;
  }
  if (operator === '$inc' && typeof current !== 'number') {
    throw invalid('INVALID_UPDATE', `$inc cannot apply to '${path}', which holds ${describe(current)}, not a number.`);
  }
  if (ARRAY_OPERATORS.has(operator) && !Array.isArray(current)) {
    throw invalid('INVALID_UPDATE', `${operator} cannot apply to '${path}', which holds ${describe(current)}, not an array.`);
  }
}
