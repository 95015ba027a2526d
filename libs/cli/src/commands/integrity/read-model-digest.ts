import { createHash } from 'node:crypto';
import type { DocumentStore } from '@strata/core';
import type { AnyDocument } from '@strata/core/adapter';

const PAGE = 1000;

/**
 * A SHA-256 of every document of `collections` in `_id` order, read a page at a time, so two
 * read models compare by one string however large they are.
 */
export async function readModelDigest(documents: DocumentStore, collections: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [...collections].sort()) {
    hash.update(`collection ${name}\n`);
    const collection = documents.collection(name);
    let last: AnyDocument['_id'] | undefined;
    for (;;) {
      const page = await collection.find(last === undefined ? {} : { _id: { $gt: last } }, { sort: { _id: 1 }, limit: PAGE });
      for (const doc of page) hash.update(`${JSON.stringify(doc)}\n`);
      const tail = page[page.length - 1];
      if (tail === undefined || page.length < PAGE) break;
      last = tail._id;
    }
  }
  return hash.digest('hex');
}
