import { invalid } from './document-errors';
import type { ValidatedUpdate } from './update-validation';

/** An update with any `$set` of `_id` taken out. */
export interface SeparatedUpdate {
  readonly update: ValidatedUpdate;
  /** The value `$set` gives `_id`, if any. */
  readonly id: unknown;
}

/**
 * Takes `$set: { _id }` out of an update. mingo refuses every update of `_id`, but MongoDB
 * allows setting it to its current value, and an upsert may choose the new document's `_id`
 * this way; the caller decides which applies. Any other write to `_id` is refused here.
 */
export function separateIdUpdate(update: ValidatedUpdate, collection: string): SeparatedUpdate {
  let id: unknown;
  const rest = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [operator, fields] of update) {
    const kept: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(fields)) {
      if (path === '_id' && operator === '$set') id = value;
      else if (path === '_id' || path.startsWith('_id.')) throw immutableId(collection, `${operator} on '${path}'`);
      else kept[path] = value;
    }
    rest.set(operator, kept);
  }
  return { update: rest, id };
}

/** The error for an update or replacement that would change a document's `_id`. */
export function immutableId(collection: string, what: string): Error {
  return invalid(
    'IMMUTABLE_FIELD',
    `_id is immutable: ${what} would change the _id of a document in '${collection}'. Insert a new document instead.`,
  );
}
