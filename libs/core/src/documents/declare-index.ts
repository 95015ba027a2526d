import type { DocumentBackend } from './document-backend';
import { DuplicateKeyError, invalid } from './document-errors';
import { canonicalKey, indexKeyOf, indexSpecFrom, keyObject, sameIndex, sameKeys } from './document-indexes';
import { parseJsonDocument } from './json-document';

/**
 * Declares an index after checking it against the declared ones and the stored documents,
 * so a failure names the offending document rather than surfacing as a driver error.
 * Returns the index name; an identical repeat declaration is a no-op, as in MongoDB.
 * `checked` says every stored document was already checked against a non-unique index (a
 * writer that declares it late does so as it writes), which saves reading them all.
 */
export function declareIndex(backend: DocumentBackend, collection: string, keys: unknown, options: unknown, { checked = false } = {}): string {
  const index = indexSpecFrom(collection, keys, options);
  const existing = backend.indexes(collection);
  const sameName = existing.find((other) => other.name === index.name);
  if (sameName) {
    if (sameIndex(sameName, index)) return index.name;
    throw invalid('INDEX_CONFLICT', `Collection '${collection}' already has an index named '${index.name}' with other keys or options.`);
  }
  const sameFields = existing.find((other) => sameKeys(other, index));
  if (sameFields) {
    throw invalid('INDEX_CONFLICT', `Collection '${collection}' already indexes these keys as '${sameFields.name}'.`);
  }
  if (checked && !index.unique) {
    backend.addIndex(collection, index);
    return index.name;
  }
  const seen = new Set<string>();
  backend.scan(collection, {}, (_id, json) => {
    const values = indexKeyOf(parseJsonDocument(json), index, collection);
    if (!index.unique) return;
    const key = canonicalKey(values);
    if (seen.has(key)) throw new DuplicateKeyError(collection, index.name, keyObject(index, values));
    seen.add(key);
  });
  backend.addIndex(collection, index);
  return index.name;
}
