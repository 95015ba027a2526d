import { InMemoryDocumentStore, StrataError } from '@strata/core';
import { SAGA_DEADLINES, SAGA_INSTANCES, SAGA_OUTBOX, type SagaStep } from '@strata/core/adapter';
import { SpecificationFailedError } from './specification-failed-error';

/**
 * Writes what a saga step produced into a throwaway document store, as the engine writes it, so
 * a state, command or timeout that is not plain JSON (a Date, a Map, a class) fails the
 * specification here rather than every delivery in production.
 */
export async function assertStorable(saga: string, step: SagaStep): Promise<void> {
  const store = new InMemoryDocumentStore();
  try {
    const write = async (collection: string, { _id, ...document }: { readonly _id: string }): Promise<void> => {
      await store.collection(collection).replaceOne({ _id }, document, { upsert: true });
    };
    await write(SAGA_INSTANCES, step.instance);
    for (const entry of step.outbox) await write(SAGA_OUTBOX, entry);
    for (const deadline of step.scheduled) await write(SAGA_DEADLINES, deadline);
  } catch (error) {
    if (!StrataError.isStrataError(error) || error.code !== 'INVALID_DOCUMENT') throw error;
    throw new SpecificationFailedError(
      `Saga '${saga}' returned something the engine cannot store: ${error.message} ` +
        'Instance state, command data and timeout events are stored as JSON documents; keep them plain JSON.',
      { actual: step, cause: error },
    );
  } finally {
    await store.close();
  }
}
