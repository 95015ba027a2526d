import { StrataError } from '../errors/strata-error';

/** The name MongoDB gives the primary key index; duplicate `_id`s are reported under it. */
export const ID_INDEX = '_id_';

/** A write would give two documents the same `_id` or the same unique index key. */
export class DuplicateKeyError extends StrataError {
  constructor(
    readonly collection: string,
    readonly index: string,
    readonly key: Readonly<Record<string, unknown>>,
  ) {
    super(
      'DUPLICATE_KEY',
      `Duplicate key in collection '${collection}' for index '${index}' ${JSON.stringify(key)}: ` +
        'another document already has these values. Update that document instead, or use another value.',
    );
  }
}

/** Where an unsupported operator was found. */
export type OperatorContext = 'filter' | 'update' | 'projection';

/** A filter, update or projection used an operator this store does not implement. */
export class UnsupportedOperatorError extends StrataError {
  constructor(
    readonly operator: string,
    readonly context: OperatorContext,
    supported: readonly string[],
  ) {
    super(
      'UNSUPPORTED_OPERATOR',
      `Operator '${operator}' is not supported in a ${context}. Supported: ${supported.join(', ')}.`,
    );
  }
}

/** A unit of work wrote a document that another writer changed after this unit read it. */
export class WriteConflictError extends StrataError {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(
      'WRITE_CONFLICT',
      `Document '${id}' in collection '${collection}' changed after this unit of work read it, so nothing was written. ` +
        'Run the unit of work again; keep one writer per read model to avoid this.',
    );
  }
}

/** Builds the error for a malformed filter, update, document, option or index. */
export function invalid(
  code:
    | 'INVALID_FILTER'
    | 'INVALID_UPDATE'
    | 'INVALID_DOCUMENT'
    | 'INVALID_FIND_OPTIONS'
    | 'INVALID_INDEX'
    | 'INVALID_NAME'
    | 'IMMUTABLE_FIELD'
    | 'INDEX_CONFLICT',
  message: string,
  cause?: unknown,
): StrataError {
  return new StrataError(code, message, cause === undefined ? undefined : { cause });
}
