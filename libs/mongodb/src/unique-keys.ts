import type { ClientSession, Collection, Filter as MongoFilter } from 'mongodb';
import { DuplicateKeyError, type IndexDescription, indexKeyOf, type JsonObject } from '@strata/core/adapter';

type Stored = { _id: string } & Record<string, unknown>;

/** A unique index and the key a write would give it. */
interface Claim {
  readonly index: IndexDescription;
  readonly key: Record<string, unknown>;
}

/**
 * Inside a transaction, a duplicate key refused by the server aborts the whole unit of work,
 * while the embedded store fails only the operation (and a handler may catch it and carry on).
 * So a unit's write first asks, in one query, whether another document already holds a key
 * one of the collection's unique indexes would refuse, and raises `DUPLICATE_KEY` itself.
 *
 * `document` is the whole new document (insert, replace), or for an update the values its
 * `$set` gives; an index is checked only when all its paths are known.
 */
export async function assertUniqueKeysFree(
  collection: Collection<Stored>,
  name: string,
  indexes: readonly IndexDescription[],
  document: JsonObject,
  whole: boolean,
  except: string | undefined,
  session: ClientSession,
): Promise<void> {
  const claims: Claim[] = [];
  for (const index of indexes) {
    if (!index.unique) continue;
    if (!whole && !index.keys.every(([path]) => Object.hasOwn(document, path))) continue;
    const values = whole ? indexKeyOf(document, index, name) : index.keys.map(([path]) => document[path] ?? null);
    claims.push({ index, key: Object.fromEntries(index.keys.map(([path], i) => [path, values[i] ?? null])) });
  }
  if (claims.length === 0) return;
  const query = { $or: claims.map((claim) => claim.key), ...(except === undefined ? {} : { _id: { $ne: except } }) } as MongoFilter<Stored>;
  const holder = await collection.findOne(query, { session });
  if (!holder) return;
  const clash = claims.find((claim) => Object.entries(claim.key).every(([path, value]) => JSON.stringify(valueAt(holder, path) ?? null) === JSON.stringify(value))) ?? claims[0];
  if (clash) throw new DuplicateKeyError(name, clash.index.name, clash.key);
}

function valueAt(document: Record<string, unknown>, path: string): unknown {
  let value: unknown = document;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}
