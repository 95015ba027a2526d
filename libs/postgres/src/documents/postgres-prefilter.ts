import type { Filter } from '@strata/core';
import type { IndexDescription } from '@strata/core/adapter';
import { keyExpression } from './document-schema';

/** A WHERE clause that narrows a collection to a superset of a filter's matches. */
export interface Prefilter {
  /** SQL conditions joined by AND; empty means the whole table. */
  readonly conditions: readonly string[];
  readonly parameters: readonly unknown[];
}

type Scalar = string | number | boolean | null;

const RANGES: Readonly<Record<string, string>> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * Translates the indexable parts of a filter into SQL on jsonb: equality and `$in` on `_id` or
 * an indexed path, and numeric ranges on an indexed path, at the top level or inside `$and`.
 * Only indexed paths, because core guarantees them scalars: elsewhere a field may be an array,
 * which MongoDB equality looks into. mingo judges every candidate afterwards, so this only has
 * to keep every true match; jsonb ranges let other types through (they order apart), never drop one.
 */
export function prefilter(filter: Filter, indexes: readonly IndexDescription[]): Prefilter {
  const indexed = new Set(indexes.flatMap((index) => index.keys.map(([path]) => path)));
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const parameter = (value: unknown): string => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const visit = (clauses: Readonly<Record<string, unknown>>): void => {
    for (const [key, value] of Object.entries(clauses)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const clause of value) if (isRecord(clause)) visit(clause);
      } else if (key === '_id') {
        const equal = isOperators(value) ? value['$eq'] : value;
        if (typeof equal === 'string') conditions.push(`id = ${parameter(equal)}`);
        const list = isOperators(value) ? value['$in'] : undefined;
        if (Array.isArray(list) && list.every((item): item is string => typeof item === 'string')) conditions.push(`id = ANY(${parameter(list)}::text[])`);
      } else if (indexed.has(key)) {
        narrowPath(keyExpression(key), value, conditions, parameter);
      }
    }
  };
  visit(filter);
  return { conditions, parameters };
}

function narrowPath(expression: string, value: unknown, conditions: string[], parameter: (value: unknown) => string): void {
  if (isScalar(value)) {
    conditions.push(`${expression} = ${parameter(JSON.stringify(value))}::jsonb`);
    return;
  }
  if (!isOperators(value)) return;
  for (const [operator, argument] of Object.entries(value)) {
    if (operator === '$eq' && isScalar(argument)) {
      conditions.push(`${expression} = ${parameter(JSON.stringify(argument))}::jsonb`);
    } else if (operator === '$in' && Array.isArray(argument) && argument.every(isScalar)) {
      conditions.push(`${expression} = ANY(${parameter(argument.map((item) => JSON.stringify(item)))}::jsonb[])`);
    } else if (operator in RANGES && typeof argument === 'number' && Number.isFinite(argument)) {
      conditions.push(`${expression} ${RANGES[operator]} ${parameter(JSON.stringify(argument))}::jsonb`);
    }
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function isOperators(value: unknown): value is Readonly<Record<string, unknown>> {
  return isRecord(value) && Object.keys(value).some((key) => key.startsWith('$'));
}
