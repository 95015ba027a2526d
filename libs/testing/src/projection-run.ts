import { InMemoryDocumentStore, type DocumentStore, type ProjectionHandler, type RecordedEvent } from '@strata/core';
import { type AnyDocument, type ProjectionOptions, applyEvents, ProjectionHandlerError } from '@strata/core/adapter';
import { describeThrown } from './format';
import { SpecificationFailedError } from './specification-failed-error';

/** A projection ready to run: its declaration, and a way to make a fresh instance. */
export interface ProjectionUnderTest {
  readonly options: ProjectionOptions;
  readonly create: () => ProjectionHandler<never>;
}

/** The delivery on which `handle` threw, and what it threw (unwrapped from `ProjectionHandlerError`). */
export interface FailedDelivery {
  /** Index of the event in the given list, from 0. */
  readonly index: number;
  readonly event: RecordedEvent;
  /** Whether it was the second delivery of that event. */
  readonly redelivered: boolean;
  readonly error: unknown;
}

/** What running the given events produced: every declared collection's documents, or a failure. */
export type ProjectionOutcome =
  | { readonly documents: ReadonlyMap<string, AnyDocument[]> }
  | { readonly failed: FailedDelivery };

/**
 * Runs `events` through a fresh instance on a fresh in-memory store, each delivery in its own
 * unit of work as the runner commits it, and reads back every declared collection by `_id`.
 */
export async function runProjection(
  projection: ProjectionUnderTest,
  events: readonly RecordedEvent[],
  deliveredTwice: boolean,
): Promise<ProjectionOutcome> {
  const { options } = projection;
  const handler = projection.create();
  const store = new InMemoryDocumentStore();
  try {
    await declareIndexes(store, options);
    for (const [index, event] of events.entries()) {
      for (const redelivered of deliveredTwice ? [false, true] : [false]) {
        try {
          await store.transaction((tx) => applyEvents(handler, options, [event], tx));
        } catch (error) {
          return { failed: { index, event, redelivered, error: error instanceof ProjectionHandlerError ? error.cause : error } };
        }
      }
    }
    return { documents: await readCollections(store, options) };
  } finally {
    await store.close();
  }
}

/** Orders documents by `_id` in code-unit order, the same on every side of a comparison. */
export function byId(a: { readonly _id: unknown }, b: { readonly _id: unknown }): number {
  const [x, y] = [String(a._id), String(b._id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

// The runner creates declared indexes before a projection runs, so a unique index can fail a write here too.
async function declareIndexes(store: DocumentStore, options: ProjectionOptions): Promise<void> {
  for (const [name, declaration] of Object.entries(options.collections)) {
    for (const index of declaration.indexes ?? []) {
      try {
        await store.collection(name).createIndex(index.keys, index.options);
      } catch (error) {
        throw new SpecificationFailedError(
          `Projection '${options.name}' declares an index on '${name}' that cannot be created: ${describeThrown(error)}`,
          { cause: error },
        );
      }
    }
  }
}

async function readCollections(store: DocumentStore, options: ProjectionOptions): Promise<Map<string, AnyDocument[]>> {
  const documents = new Map<string, AnyDocument[]>();
  for (const name of Object.keys(options.collections)) {
    const collection = store.collection(name);
    // find is capped at 1000 by default; a specification compares every document.
    const limit = Math.max(1, await collection.countDocuments());
    documents.set(name, (await collection.find({}, { limit })).sort(byId));
  }
  return documents;
}
