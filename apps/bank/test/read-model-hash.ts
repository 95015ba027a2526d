import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { comparePositions, InMemoryDocumentStore, type DocumentStore, type EventStore, type ProjectionClass, type ProjectionHandler } from '@strata/core';
import { newLeaseOwner, requireProjectionOptions, resolveProjectionSettings, ProjectionRunner, versionedCollection } from '@strata/core/adapter';

/** Every collection the projections declare, as their versions keep them in the store, sorted. */
export function collectionsOf(projections: readonly ProjectionClass[]): string[] {
  return projections
    .flatMap((projection) => {
      const { collections, version } = requireProjectionOptions(projection);
      return Object.keys(collections).map((collection) => versionedCollection(collection, version));
    })
    .sort();
}

/** A digest of every document in `collections`, in `_id` order, keys sorted, so two read models compare by one string. */
export async function hashReadModel(documents: DocumentStore, collections: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const name of collections) {
    const docs = await documents.collection(name).find({}, { sort: { _id: 1 }, limit: Number.MAX_SAFE_INTEGER });
    hash.update(`${name}:${docs.length}\n`);
    // Keys sorted: PostgreSQL's jsonb keeps an object's keys in an order of its own.
    for (const doc of docs) hash.update(`${stringify(doc)}\n`);
  }
  return hash.digest('hex');
}

/** Builds the read model from scratch into memory by running the projections over the whole log. */
export async function rebuildInMemory(events: EventStore, projections: readonly (new () => ProjectionHandler<never>)[]): Promise<DocumentStore> {
  const documents = new InMemoryDocumentStore();
  const settings = resolveProjectionSettings({}, { batchSize: 1000, pollIntervalMs: 10 });
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const runners = projections.map(
    (Projection) =>
      new ProjectionRunner({ handler: new Projection(), options: requireProjectionOptions(Projection) }, events, documents, settings, newLeaseOwner(), silent),
  );
  const head = await events.headPosition();
  for (const runner of runners) runner.start();
  try {
    if (head !== null) {
      const reached = await Promise.all(runners.map((runner) => runner.waitFor(head, Date.now() + 120_000)));
      if (!reached.every(Boolean)) throw new Error('the in-memory rebuild did not reach the head');
    }
  } finally {
    await Promise.all(runners.map((runner) => runner.stop()));
  }
  for (const runner of runners) {
    const status = await runner.status();
    if (status.parked > 0 || (head !== null && (status.checkpoint === null || comparePositions(status.checkpoint, head) < 0))) {
      throw new Error(`the rebuild of '${status.name}' is incomplete: ${JSON.stringify(status)}`);
    }
  }
  return documents;
}
