import type { DocumentCollection, DocumentTransaction } from '../documents/document-store';
import type { AnyDocument, BaseDocument } from '../documents/document-types';
import { StrataError } from '../errors/strata-error';
import { damageOf } from '../event-store/damaged-events';
import type { RecordedEvent } from '../events/event';
import type { ProjectionContext, ProjectionHandler } from './projection-handler';
import type { ProjectionOptions } from './projection-options';

/** A handler threw: which event of the batch, and what it threw. */
export class ProjectionHandlerError extends StrataError {
  constructor(
    readonly projection: string,
    readonly index: number,
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(
      'PROJECTION_HANDLER_FAILED',
      `Projection '${projection}' failed on ${event.type} at position ${event.position} (stream ${event.streamId}): ${messageOf(cause)}`,
      { cause },
    );
  }
}

/** Events applied between two questions to `applyEvents`' `pause`. */
const PAUSE_EVERY = 8;

/** The context a handler sees: its declared collections only, bound to the batch's unit of work. */
function createProjectionContext(
  options: ProjectionOptions,
  tx: DocumentTransaction,
  physicalName: (collection: string) => string = (collection) => collection,
): ProjectionContext {
  // A handler asks for its collections on every event: each is looked up once per unit of work.
  const handles = new Map<string, DocumentCollection>();
  return {
    collection: <T extends BaseDocument = AnyDocument>(name: string): DocumentCollection<T> => {
      let handle = handles.get(name);
      if (!handle) {
        if (!Object.hasOwn(options.collections, name)) {
          throw new StrataError(
            'UNDECLARED_COLLECTION',
            `Projection '${options.name}' wrote to '${name}', which it does not declare. Add it to @Projection({ collections }): ${Object.keys(options.collections).join(', ')} are declared.`,
          );
        }
        handle = tx.collection(physicalName(name));
        handles.set(name, handle);
      }
      return handle;
    },
  };
}

/** Whether a projection receives events of this type. */
export function handlesEventType(options: ProjectionOptions, type: string): boolean {
  return options.events === undefined || options.events.includes(type);
}

/** How `applyEvents` runs a batch beyond the handler and its unit of work. */
export interface ApplyOptions {
  /** The collection a declared name is written to (a replay's shadow); the name itself by default. */
  readonly physicalName?: (collection: string) => string;
  /** Asked before every few events; may return a promise to wait for first (a turn of the event loop, in a long batch). */
  readonly pause?: () => Promise<void> | undefined;
}

/**
 * Hands `events` to the handler in order within the unit of work `tx`; a throw becomes a
 * `ProjectionHandlerError` that says which event failed. So does a refusal that aborted the
 * unit on the server while a handler ran (`DocumentTransaction.abortedBy`), even when the
 * handler caught it: the unit can no longer commit, and that event is the one to retry or park.
 */
export async function applyEvents(
  handler: ProjectionHandler<never>,
  options: ProjectionOptions,
  events: readonly RecordedEvent[],
  tx: DocumentTransaction,
  { physicalName, pause }: ApplyOptions = {},
): Promise<void> {
  const ctx = createProjectionContext(options, tx, physicalName);
  // Asked about every event, so looked up in a set made once per batch.
  const types = options.events === undefined ? null : new Set(options.events);
  // A unit aborted before any handler ran was not aborted by one: its error is the caller's to see.
  const abortedBefore = tx.abortedBy?.() !== undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as RecordedEvent;
    // Asked every few events only: answering reads the clock.
    if (pause && index % PAUSE_EVERY === 0) {
      const turn = pause();
      if (turn) await turn;
    }
    if (types !== null && !types.has(event.type)) continue;
    try {
      // A damaged event is never folded: it fails here, before the handler sees it, and is parked.
      const damage = damageOf(event);
      if (damage) throw damage;
      await (handler as ProjectionHandler).handle(event, ctx);
    } catch (error) {
      throw new ProjectionHandlerError(options.name, index, event, error);
    }
    const aborted = abortedBefore ? undefined : tx.abortedBy?.();
    if (aborted !== undefined) throw new ProjectionHandlerError(options.name, index, event, aborted);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
