import { DEFAULT_FIND_LIMIT, type FindOptions, type ProjectionSpec, type SortSpec } from './document-types';
import { UnsupportedOperatorError, invalid } from './document-errors';
import { describe, isPlainObject } from './json-document';

/** Find options after validation, with the limit defaulted. */
export interface ResolvedFindOptions {
  readonly sort: SortSpec | undefined;
  readonly skip: number;
  readonly limit: number;
  readonly projection: ProjectionSpec | undefined;
}

/** Checks sort, skip, limit and projection, so a typo is an error rather than a surprising result. */
export function resolveFindOptions(options: FindOptions | undefined): ResolvedFindOptions {
  // Checked through an unknown alias so the guard does not narrow `options` away from FindOptions.
  const raw: unknown = options;
  if (raw !== undefined && !isPlainObject(raw)) {
    throw invalid('INVALID_FIND_OPTIONS', `Find options must be a plain object, got ${describe(raw)}.`);
  }
  const { sort, skip = 0, limit = DEFAULT_FIND_LIMIT, projection } = options ?? {};
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw invalid('INVALID_FIND_OPTIONS', `limit must be a positive integer, got ${describe(limit)}.`);
  }
  if (!Number.isSafeInteger(skip) || skip < 0) {
    throw invalid('INVALID_FIND_OPTIONS', `skip must be a non-negative integer, got ${describe(skip)}.`);
  }
  if (sort !== undefined) checkSort(sort);
  if (projection !== undefined) checkProjection(projection);
  return { sort, skip, limit, projection };
}

function checkSort(sort: unknown): void {
  if (!isPlainObject(sort)) throw invalid('INVALID_FIND_OPTIONS', `sort must be an object of paths to 1 or -1, got ${describe(sort)}.`);
  for (const [path, direction] of Object.entries(sort)) {
    if (path === '' || path.startsWith('$')) throw invalid('INVALID_FIND_OPTIONS', `sort has the invalid path '${path}'.`);
    if (direction !== 1 && direction !== -1) {
      throw invalid('INVALID_FIND_OPTIONS', `sort on '${path}' must be 1 or -1, got ${describe(direction)}.`);
    }
  }
}

function checkProjection(projection: unknown): void {
  if (!isPlainObject(projection)) {
    throw invalid('INVALID_FIND_OPTIONS', `projection must be an object of paths to 0 or 1, got ${describe(projection)}.`);
  }
  for (const [path, value] of Object.entries(projection)) {
    if (path.startsWith('$')) throw new UnsupportedOperatorError(path, 'projection', PROJECTION_FORMS);
    if (isPlainObject(value)) {
      const operator = Object.keys(value)[0] ?? '{}';
      throw new UnsupportedOperatorError(operator, 'projection', PROJECTION_FORMS);
    }
    if (value !== 0 && value !== 1 && value !== true && value !== false) {
      throw invalid('INVALID_FIND_OPTIONS', `projection of '${path}' must be 0, 1, true or false, got ${describe(value)}.`);
    }
  }
  // MongoDB refuses a projection that both includes and excludes fields (only _id may be excluded from an inclusion).
  const fields = Object.entries(projection).filter(([path]) => path !== '_id');
  const included = fields.find(([, value]) => value === 1 || value === true);
  const excluded = fields.find(([, value]) => value === 0 || value === false);
  if (included && excluded) {
    throw invalid('INVALID_FIND_OPTIONS', `projection includes '${included[0]}' and excludes '${excluded[0]}'; list only fields to include, or only fields to exclude (only _id may be excluded from an inclusion).`);
  }
}

const PROJECTION_FORMS = ['field: 1 (include)', 'field: 0 (exclude)'];
