import { UnsupportedOperatorError, invalid } from './document-errors';
import { validateElementCondition } from './filter-validation';
import { describe, isPlainObject } from './json-document';

/** Every update operator the store applies; anything else is `UNSUPPORTED_OPERATOR`. */
export const SUPPORTED_UPDATE_OPERATORS: readonly string[] = ['$set', '$unset', '$inc', '$push', '$pull', '$addToSet'];

const PUSH_MODIFIERS = ['$each', '$slice', '$sort', '$position'];
const ADD_TO_SET_MODIFIERS = ['$each'];
/** `$` (first match) and `$[]` (every element); `$[name]` needs arrayFilters, which are not offered. */
const POSITIONAL = new Set(['$', '$[]']);

/** The supported operators of an update, each with its `path -> argument` map. */
export type ValidatedUpdate = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/** Checks an update document: only supported operators, well-formed paths and modifiers. */
export function validateUpdate(update: unknown): ValidatedUpdate {
  if (!isPlainObject(update)) throw invalid('INVALID_UPDATE', `An update must be a plain object of operators, got ${describe(update)}.`);
  const entries = Object.entries(update);
  if (entries.length === 0) throw invalid('INVALID_UPDATE', 'An update needs at least one operator, e.g. { $set: { field: value } }.');
  const operators = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [operator, fields] of entries) {
    if (!operator.startsWith('$')) {
      throw invalid(
        'INVALID_UPDATE',
        `An update may contain only operators, but has the field '${operator}'. To replace a whole document use replaceOne.`,
      );
    }
    if (!SUPPORTED_UPDATE_OPERATORS.includes(operator)) {
      throw new UnsupportedOperatorError(operator, 'update', SUPPORTED_UPDATE_OPERATORS);
    }
    if (!isPlainObject(fields)) throw invalid('INVALID_UPDATE', `${operator} needs an object of field paths, got ${describe(fields)}.`);
    for (const [path, argument] of Object.entries(fields)) {
      checkPath(operator, path);
      checkArgument(operator, path, argument);
    }
    operators.set(operator, fields);
  }
  return operators;
}

function checkPath(operator: string, path: string): void {
  for (const segment of path.split('.')) {
    if (segment === '') throw invalid('INVALID_UPDATE', `${operator} has the path '${path}' with an empty segment.`);
    if (!segment.startsWith('$')) continue;
    if (/^\$\[.+\]$/.test(segment)) {
      throw new UnsupportedOperatorError(`${segment} (filtered positional, needs arrayFilters)`, 'update', ['$', '$[]']);
    }
    if (!POSITIONAL.has(segment)) {
      throw invalid('INVALID_UPDATE', `${operator} has the path '${path}'; a segment may not start with $ unless it is $ or $[].`);
    }
  }
}

function checkArgument(operator: string, path: string, argument: unknown): void {
  switch (operator) {
    case '$inc':
      if (typeof argument !== 'number' || !Number.isFinite(argument)) {
        throw invalid('INVALID_UPDATE', `$inc on '${path}' needs a finite number, got ${describe(argument)}.`);
      }
      return;
    case '$push':
      checkModifiers(operator, path, argument, PUSH_MODIFIERS);
      return;
    case '$addToSet':
      checkModifiers(operator, path, argument, ADD_TO_SET_MODIFIERS);
      return;
    case '$pull':
      validateElementCondition(argument, path);
      return;
    default:
  }
}

/** `$push`/`$addToSet` take a value, or `{ $each: [...] }` with a closed set of modifiers. */
function checkModifiers(operator: string, path: string, argument: unknown, allowed: readonly string[]): void {
  if (!isPlainObject(argument)) return;
  const keys = Object.keys(argument);
  if (!keys.some((key) => key.startsWith('$'))) return;
  for (const key of keys) {
    if (!allowed.includes(key)) throw new UnsupportedOperatorError(`${key} (in ${operator})`, 'update', allowed);
  }
  if (!Array.isArray(argument['$each'])) throw invalid('INVALID_UPDATE', `${operator} on '${path}' needs $each to be an array.`);
}
