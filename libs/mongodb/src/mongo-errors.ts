import { StrataError } from '@strata/core';
import { DuplicateKeyError, WriteConflictError, ID_INDEX, documentError } from '@strata/core/adapter';
import { isDriverError } from './mongo-driver';

/** Server error codes Strata translates; the rest stay driver errors wrapped as `READ_STORE_UNAVAILABLE`. */
export const MONGO_CODES = {
  badValue: 2,
  typeMismatch: 14,
  pathNotViable: 28,
  conflictingUpdateOperators: 40,
  immutableField: 66,
  indexOptionsConflict: 85,
  indexKeySpecsConflict: 86,
  writeConflict: 112,
  noSuchTransaction: 251,
  namespaceNotFound: 26,
  duplicateKey: 11000,
  bsonObjectTooLarge: 10334,
  updatedDocumentTooLarge: 17419,
  inclusionInExclusionProjection: 31253,
  exclusionInInclusionProjection: 31254,
  invalidRegex: 51091,
  invalidRegexOptions: 51108,
} as const;

/** The driver refuses a document over the BSON limit itself, before sending, with this message. */
const DRIVER_TOO_LARGE = /larger than the maximum size|exceeds maximum (BSON|document) size/i;

/** What was being done when the server refused, for the message. */
export interface ErrorContext {
  readonly collection: string;
  /** The update document, named in the message so the operator and path are visible. */
  readonly update?: unknown;
  /** The document or filter concerned, for a write conflict. */
  readonly subject?: string;
}

/** The server error code, if `error` carries one. */
export function codeOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

/** Translates a driver error into the `StrataError` the embedded store raises for the same mistake. */
export function toStrataError(error: unknown, context: ErrorContext): unknown {
  // Only the driver's errors are translated: a unit of work's own failure must reach the caller as it was.
  if (StrataError.isStrataError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && DRIVER_TOO_LARGE.test(message)) {
    return documentError('INVALID_DOCUMENT', `A document for '${context.collection}' is over MongoDB's 16 MiB limit (${message}); split it or store the bulk elsewhere.`, error);
  }
  if (!isDriverError(error) && codeOf(error) === undefined) return error;
  switch (codeOf(error)) {
    case MONGO_CODES.duplicateKey:
      return new DuplicateKeyError(context.collection, /index: (\S+) dup key/.exec(message)?.[1] ?? ID_INDEX, keyValueOf(error));
    case MONGO_CODES.writeConflict:
      return new WriteConflictError(context.collection, context.subject ?? '(unknown)');
    case MONGO_CODES.immutableField:
      return documentError('IMMUTABLE_FIELD', `_id is immutable in '${context.collection}': ${message}. Insert a new document instead.`, error);
    case MONGO_CODES.badValue:
    case MONGO_CODES.typeMismatch:
    case MONGO_CODES.pathNotViable:
    case MONGO_CODES.conflictingUpdateOperators:
      if (context.update === undefined) return documentError('INVALID_FILTER', `MongoDB refused the query on '${context.collection}': ${message}`, error);
      return documentError('INVALID_UPDATE', `The update ${JSON.stringify(context.update)} cannot apply in '${context.collection}': ${message}`, error);
    case MONGO_CODES.inclusionInExclusionProjection:
    case MONGO_CODES.exclusionInInclusionProjection:
      return documentError('INVALID_FIND_OPTIONS', `MongoDB refused the projection on '${context.collection}': ${message}. List only fields to include, or only fields to exclude.`, error);
    case MONGO_CODES.invalidRegex:
    case MONGO_CODES.invalidRegexOptions:
      return documentError('INVALID_FILTER', `MongoDB refused a regular expression in the filter on '${context.collection}': ${message}`, error);
    case MONGO_CODES.bsonObjectTooLarge:
    case MONGO_CODES.updatedDocumentTooLarge:
      return documentError('INVALID_DOCUMENT', `A document in '${context.collection}' would be over MongoDB's 16 MiB limit: ${message}. Split it or store the bulk elsewhere.`, error);
    case MONGO_CODES.indexOptionsConflict:
    case MONGO_CODES.indexKeySpecsConflict:
      return documentError('INDEX_CONFLICT', `Collection '${context.collection}' already has a conflicting index: ${message}`, error);
    case MONGO_CODES.noSuchTransaction:
      return new StrataError('TRANSACTION_ABORTED', `MongoDB aborted the unit of work after an earlier error in it (${message}); nothing was written. Run it again.`, { cause: error });
    default:
      return new StrataError('READ_STORE_UNAVAILABLE', `MongoDB refused an operation on '${context.collection}': ${message}. Check MONGODB_URL and that the replica set is up.`, {
        cause: error,
      });
  }
}

function keyValueOf(error: unknown): Record<string, unknown> {
  const keyValue = (error as { keyValue?: unknown }).keyValue;
  return typeof keyValue === 'object' && keyValue !== null ? (keyValue as Record<string, unknown>) : {};
}
