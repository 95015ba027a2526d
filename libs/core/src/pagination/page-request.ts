import { RequestValidationError } from '../http/request-validation-error';
import { decodeCursor } from './page-cursor';
import type { PageRequest } from './page';

/** The page a validated `limit` and `cursor` ask for: `after` is the key the cursor holds. */
export function pageRequest(limit: number, cursor: string | undefined, keyPattern: RegExp): PageRequest {
  if (cursor === undefined) return { limit, after: undefined };
  const after = decodeCursor(cursor, keyPattern);
  // The DTO has refused such a cursor already; this keeps a caller that skipped it honest.
  if (after === undefined) throw new RequestValidationError([{ field: 'cursor', message: 'cursor is not a cursor this endpoint made' }]);
  return { limit, after };
}
