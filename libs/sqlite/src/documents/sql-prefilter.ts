import type { Filter } from '@strata/core';
import type { IndexDescription } from '@strata/core/adapter';
import { keyExpression, keyParameter } from './document-schema';

/** A WHERE clause that narrows a collection to a superset of a filter's matches. */
export interface Prefilter {
  /** SQL conditions joined by AND; empty means the whole table. */
  readonly conditions: readonly string[];
  readonly parameters: readonly unknown[];
}

type Scalar = string | number | boolean | null;

const RANGES: Readonly<Record<string, string>> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
/** Longer `$in` lists are left to mingo rather than risk SQLite's bound-parameter limit. */
const MAX_IN_LIST = 500;

/**
 * Translates the indexable parts of a filter into SQL: equality and `$in` on `_id` or an
 * indexed path, and numeric ranges on an indexed path, at the top level or inside `$and`.
 * Everything else is left out, because mingo judges every candidate afterwards; this only
 * has to never drop a true match. String ranges stay out on purpose: SQLite orders text by
 * UTF-8 bytes and mingo by UTF-16 code units, which disagree above U+FFFF.
 */
export function prefilter(filter: Filter, indexes: readonly IndexDescription[]): Prefilter {
  const indexed = new Set(indexes.flatMap((index) => index.keys.map(([path]) => path)));
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const visit = (clauses: Readonly<Record<string, unknown>>): void => {
    for (const [key, value] of Object.entries(clauses)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const clause of value) if (isRecord(clause)) visit(clause);
      } else if (key === '_id') {
        narrowId(value, conditions, parameters);
      } else if (indexed.has(key)) {
        narrowPath(keyExpression(key), value, conditions, parameters);
      }
    }
  };
  visit(filter);
  return { conditions, parameters };
}

function narrowId(value: unknown, conditions: string[], parameters: unknown[]): void {
  const equal = isOperators(value) ? value['$eq'] : value;
  if (typeof equal === 'string') {
    conditions.push('id = ?');
    parameters.push(equal);
  }
  const list = isOperators(value) ? value['$in'] : undefined;
  if (Array.isArray(list) && list.length <= MAX_IN_LIST && list.every((item): item is string => typeof item === 'string')) {
    conditions.push(`id IN (${list.map(() => '?').join(', ')})`);
    parameters.push(...list);
  }
}

function narrowPath(expression: string, value: unknown, conditions: string[], parameters: unknown[]): void {
  if (isScalar(value)) {
    conditions.push(`${expression} = ?`);
    parameters.push(keyParameter(value));
    return;
  }
  if (!isOperators(value)) return;
  for (const [operator, argument] of Object.entries(value)) {
    if (operator === '$eq' && isScalar(argument)) {
      conditions.push(`${expression} = ?`);
      parameters.push(keyParameter(argument));
    } else if (operator === '$in' && Array.isArray(argument) && argument.length <= MAX_IN_LIST && argument.every(isScalar)) {
      conditions.push(`${expression} IN (${argument.map(() => '?').join(', ')})`);
      parameters.push(...argument.map(keyParameter));
    } else if (operator in RANGES && typeof argument === 'number' && Number.isFinite(argument)) {
      conditions.push(`${expression} ${RANGES[operator]} ?`);
      parameters.push(argument);
    }
  }
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function isOperators(value: unknown): value is Readonly<Record<string, unknown>> {
  return isRecord(value) && Object.keys(value).some((key) => key.startsWith('$'));
}
