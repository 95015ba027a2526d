import type { Filter } from './document-types';
import { UnsupportedOperatorError, invalid } from './document-errors';
import { describe, isPlainObject } from './json-document';

const LOGICAL_OPERATORS = ['$and', '$or', '$nor'];
const FIELD_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$regex',
  '$options',
  '$mod',
  '$size',
  '$all',
  '$elemMatch',
  '$not',
];

/** Every query operator a filter may use; the list is deliberately closed so adapters agree. */
export const SUPPORTED_FILTER_OPERATORS: readonly string[] = [...LOGICAL_OPERATORS, ...FIELD_OPERATORS];

/**
 * Checks a filter's shape and operators before mingo sees it. mingo would accept more
 * (`$where`, `$expr`, ...), but a store may only promise what every adapter implements.
 */
export function validateFilter(filter: unknown): Filter {
  if (filter === undefined) return {};
  if (!isPlainObject(filter)) throw invalid('INVALID_FILTER', `A filter must be a plain object, got ${describe(filter)}.`);
  checkClauses(filter, false);
  return filter;
}

/** Validates a `$pull` condition, which is an `$elemMatch` body without the wrapper. */
export function validateElementCondition(condition: unknown, path: string): void {
  if (isPlainObject(condition)) checkClauses(condition, true);
  else checkLiteral(condition, path);
}

function unsupported(operator: string): UnsupportedOperatorError {
  return new UnsupportedOperatorError(operator, 'filter', SUPPORTED_FILTER_OPERATORS);
}

/** A filter body: fields and logical operators; inside `$elemMatch` also field operators. */
function checkClauses(body: Record<string, unknown>, elementLevel: boolean): void {
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('$')) {
      checkCondition(value, key);
    } else if (LOGICAL_OPERATORS.includes(key)) {
      if (!Array.isArray(value) || value.length === 0) {
        throw invalid('INVALID_FILTER', `${key} needs a non-empty array of filters, got ${describe(value)}.`);
      }
      for (const clause of value) {
        if (!isPlainObject(clause)) throw invalid('INVALID_FILTER', `Each ${key} clause must be a plain object, got ${describe(clause)}.`);
        checkClauses(clause, elementLevel);
      }
    } else if (elementLevel && FIELD_OPERATORS.includes(key)) {
      checkCondition({ [key]: value }, '(element)');
    } else {
      throw unsupported(key);
    }
  }
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

function checkCondition(value: unknown, path: string): void {
  if (!isOperatorObject(value)) {
    checkLiteral(value, path);
    return;
  }
  for (const [operator, argument] of Object.entries(value)) {
    if (!operator.startsWith('$')) {
      throw invalid('INVALID_FILTER', `The condition on '${path}' mixes operators with the field '${operator}'; use only operators.`);
    }
    if (!FIELD_OPERATORS.includes(operator)) throw unsupported(operator);
    checkOperand(operator, argument, path, value);
  }
}

function checkOperand(operator: string, argument: unknown, path: string, condition: Record<string, unknown>): void {
  switch (operator) {
    case '$in':
    case '$nin':
    case '$all':
      if (!Array.isArray(argument)) throw invalid('INVALID_FILTER', `${operator} on '${path}' needs an array, got ${describe(argument)}.`);
      for (const item of argument) {
        if (operator === '$all' && isOperatorObject(item)) checkCondition(item, path);
        else checkLiteral(item, path);
      }
      return;
    case '$not':
      if (argument instanceof RegExp) return;
      if (!isOperatorObject(argument)) {
        throw invalid('INVALID_FILTER', `$not on '${path}' needs an operator expression or a regular expression.`);
      }
      checkCondition(argument, path);
      return;
    case '$elemMatch':
      if (!isPlainObject(argument)) throw invalid('INVALID_FILTER', `$elemMatch on '${path}' needs an object, got ${describe(argument)}.`);
      checkClauses(argument, true);
      return;
    case '$options':
      if (!('$regex' in condition)) throw invalid('INVALID_FILTER', `$options on '${path}' is only valid next to $regex.`);
      return;
    case '$regex':
      checkRegex(argument, condition['$options'], path);
      return;
    default:
      checkLiteral(argument, path);
  }
}

/** A `$regex` must compile, so a typo is a clear error on every store rather than a server failure. */
function checkRegex(pattern: unknown, options: unknown, path: string): void {
  if (pattern instanceof RegExp) return;
  if (typeof pattern !== 'string') throw invalid('INVALID_FILTER', `$regex on '${path}' needs a string or a RegExp, got ${describe(pattern)}.`);
  if (options !== undefined && (typeof options !== 'string' || !/^[imsx]*$/.test(options))) {
    throw invalid('INVALID_FILTER', `$options on '${path}' must be made of the flags i, m, s and x, got ${describe(options)}.`);
  }
  try {
    new RegExp(pattern, typeof options === 'string' ? options.replace('x', '') : '');
  } catch (error) {
    throw invalid('INVALID_FILTER', `$regex on '${path}' is not a valid regular expression (${error instanceof Error ? error.message : String(error)}); fix or escape the pattern.`, error);
  }
}

/**
 * Values compared against stored JSON. A Date or undefined can never equal a stored value,
 * so such a filter would silently match nothing; refusing it tells the caller why.
 */
function checkLiteral(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return;
  if (value instanceof RegExp) return;
  if (Array.isArray(value)) {
    value.forEach((item) => checkLiteral(item, path));
    return;
  }
  if (isPlainObject(value)) {
    Object.values(value).forEach((item) => checkLiteral(item, path));
    return;
  }
  const hint = value === undefined ? 'use null to match a missing or null field' : 'documents hold JSON, so compare with ISO strings or numbers';
  throw invalid('INVALID_FILTER', `The value for '${path}' is ${describe(value)}, which no stored document can equal; ${hint}.`);
}
