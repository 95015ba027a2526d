import { isDeepStrictEqual } from 'node:util';
import { type ProjectionHandler, type RecordedEvent } from '@strata/core';
import { type BaseDocument, requireProjectionOptions } from '@strata/core/adapter';
import { errorExpectation, verifyThrown, type ErrorCheck, type ErrorClass } from './error-expectation';
import { countOf, describeThrown, diffValues, printValue } from './format';
import { recordGivenEvents, type AnyGivenEvent, type GivenEvent } from './given-events';
import { byId, runProjection, type FailedDelivery, type ProjectionOutcome, type ProjectionUnderTest } from './projection-run';
import { SpecificationFailedError } from './specification-failed-error';

/** The recorded event type a projection's `handle` takes. */
export type HandledEvent<P extends ProjectionHandler<never>> = Parameters<P['handle']>[0];

/** First step of a projection specification: the events the projection receives. */
export interface ProjectionGiven<R> {
  /** The events in delivery order; fields left out are filled in deterministically (see `recordGivenEvents`). */
  given(events: readonly GivenEvent<R>[]): ProjectionThen;
}

/**
 * Last step of a projection specification: the documents the events must leave behind. Each
 * method runs the projection afresh and rejects with `SpecificationFailedError` when it fails.
 * Do not `await` this step itself: await one of its methods.
 */
export interface ProjectionThen {
  /**
   * Delivers every event twice in a row (e1, e1, e2, e2, ...), as at-least-once delivery may;
   * `then` also checks that this leaves the same documents as delivering each event once.
   */
  deliveredTwice(): ProjectionThen;
  /** The collection holds exactly these documents, in any order (deep equality per document). */
  then<T extends BaseDocument>(collection: string, expected: readonly T[]): Promise<void>;
  /** Like `then`, for several collections at once: each named collection holds exactly its documents. */
  thenCollections<C extends Readonly<Record<string, readonly BaseDocument[]>>>(expected: C): Promise<void>;
  // The check overload comes first so that a lone arrow function gets `unknown` as its parameter type.
  /** `handle` throws, on some given event, something that passes `check`. */
  thenThrows(check: ErrorCheck<unknown>): Promise<void>;
  /** `handle` throws, on some given event, an instance of `errorClass` that passes `check`, if one is given. */
  thenThrows<Err extends Error>(errorClass: ErrorClass<Err>, check?: ErrorCheck<Err>): Promise<void>;
}

type Expected = ReadonlyMap<string, readonly BaseDocument[]>;

/**
 * Given-then tests for `@Projection` classes, independent of the test runner:
 * `await ProjectionSpecification.for(AccountsProjection).given(events).then('accounts', documents)`.
 *
 * Each event is applied in its own unit of work on a fresh `InMemoryDocumentStore` with the
 * declared indexes, as the runner would; given events are deep-frozen, so a handler that
 * mutates one fails.
 */
export const ProjectionSpecification = {
  /** Starts a specification of a projection class, constructed with `args`. */
  for<A extends unknown[], P extends ProjectionHandler<never>>(
    projection: new (...args: A) => P,
    ...args: A
  ): ProjectionGiven<HandledEvent<P>> {
    const options = requireProjectionOptions(projection);
    const underTest: ProjectionUnderTest = { options, create: () => new projection(...args) };
    return {
      given: (events) => thenStep(underTest, recordGivenEvents(events as readonly AnyGivenEvent[]), false),
    };
  },
};

function thenStep(projection: ProjectionUnderTest, events: readonly RecordedEvent[], twice: boolean): ProjectionThen {
  const subject = `Projection '${projection.options.name}'`;
  const assertDocuments = async (expected: Expected): Promise<void> => {
    for (const name of expected.keys()) assertDeclared(projection, name);
    const once = await runProjection(projection, events, false);
    assertOutcome(subject, once, expected, events.length);
    if (twice) assertIdempotent(subject, once, await runProjection(projection, events, true));
  };
  return {
    deliveredTwice: () => thenStep(projection, events, true),
    then: (collection, expected) => {
      // `await` on this step calls then(resolve, reject); throwing here rejects that await.
      if (typeof collection !== 'string') throw awaitedStepError();
      return assertDocuments(new Map([[collection, expected]]));
    },
    thenCollections: (expected) => {
      if (Object.keys(expected).length === 0) {
        return Promise.reject(new SpecificationFailedError(`${subject}: thenCollections needs at least one collection to check.`));
      }
      return assertDocuments(new Map(Object.entries(expected)));
    },
    thenThrows: async (errorClassOrCheck: ErrorClass | ErrorCheck<unknown>, check?: ErrorCheck<never>) => {
      const expectation = errorExpectation(errorClassOrCheck, check as ErrorCheck<unknown> | undefined);
      const outcome = await runProjection(projection, events, twice);
      if ('documents' in outcome) {
        throw new SpecificationFailedError(
          `${subject} was expected to throw ${expectation.wanted}, but handle applied ${countOf(events.length, 'given event')} without throwing.`,
          { expected: expectation.errorClass, actual: Object.fromEntries(outcome.documents) },
        );
      }
      verifyThrown(subject, 'handle', outcome.failed.error, expectation, describeDelivery(outcome.failed));
    },
  };
}

function assertDeclared(projection: ProjectionUnderTest, collection: string): void {
  const declared = Object.keys(projection.options.collections);
  if (declared.includes(collection)) return;
  throw new SpecificationFailedError(
    `Projection '${projection.options.name}' does not declare a collection '${collection}', so it cannot write one. ` +
      `It declares ${declared.map((name) => `'${name}'`).join(', ')}; check the name, or add it to @Projection({ collections }).`,
  );
}

function assertOutcome(subject: string, outcome: ProjectionOutcome, expected: Expected, eventCount: number): void {
  if ('failed' in outcome) {
    const { failed } = outcome;
    throw new SpecificationFailedError(
      `${subject} was expected to apply ${countOf(eventCount, 'given event')}, but handle threw ` +
        `${describeThrown(failed.error)}${describeDelivery(failed)}`,
      { actual: failed.error, cause: failed.error },
    );
  }
  const mismatches = [...expected].flatMap(([name, documents]) => {
    const wanted = [...documents].sort(byId);
    const actual = outcome.documents.get(name) ?? [];
    if (isDeepStrictEqual(actual, wanted)) return [];
    return [
      `${subject} wrote other documents to '${name}' than expected ` +
        `(${countOf(actual.length, 'document')}, ${wanted.length} expected; both sorted by _id).\n\n` +
        diffValues(wanted, actual, { expected: 'Expected documents', actual: 'Actual documents' }),
    ];
  });
  if (mismatches.length > 0) {
    throw new SpecificationFailedError(mismatches.join('\n\n'), {
      expected: Object.fromEntries(expected),
      actual: Object.fromEntries(outcome.documents),
    });
  }
}

// Run after the once-delivered outcome matched, so any difference is the redelivery's doing.
function assertIdempotent(subject: string, once: ProjectionOutcome, twice: ProjectionOutcome): void {
  const advice = 'Delivery is at least once: skip an event already applied, by its stream revision or position.';
  if ('failed' in twice) {
    throw new SpecificationFailedError(
      `${subject} is not idempotent: handle threw ${describeThrown(twice.failed.error)}${describeDelivery(twice.failed)}\n${advice}`,
      { actual: twice.failed.error, cause: twice.failed.error },
    );
  }
  if ('failed' in once) return;
  const changed = [...once.documents].filter(([name, documents]) => !isDeepStrictEqual(twice.documents.get(name), documents));
  if (changed.length === 0) return;
  throw new SpecificationFailedError(
    `${subject} is not idempotent: delivering each event twice wrote other documents than delivering it once.\n${advice}\n\n` +
      changed
        .map(([name, documents]) =>
          `Collection '${name}':\n` +
          diffValues(documents, twice.documents.get(name) ?? [], { expected: 'Delivered once', actual: 'Delivered twice' }),
        )
        .join('\n\n'),
    { expected: Object.fromEntries(once.documents), actual: Object.fromEntries(twice.documents) },
  );
}

function describeDelivery({ index, event, redelivered }: FailedDelivery): string {
  const delivery = redelivered ? 'the second delivery of ' : '';
  return (
    ` on ${delivery}given event #${index + 1} (${event.type}, stream ${printValue(event.streamId)}, ` +
    `revision ${event.revision}, position ${event.position}).`
  );
}

function awaitedStepError(): SpecificationFailedError {
  return new SpecificationFailedError(
    'A projection specification step was awaited. Await its assertion instead: ' +
      "await spec.given(events).then('collection', documents).",
  );
}
