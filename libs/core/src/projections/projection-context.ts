import type { DocumentTransaction } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
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

/** The context a handler sees: its declared collections only, bound to the batch's unit of work. */
export function createProjectionContext(
  options: ProjectionOptions,
  tx: DocumentTransaction,
  physicalName: (collection: string) => string = (collection) => collection,
): ProjectionContext {
  return {
    collection: (name) => {
      if (!Object.hasOwn(options.collections, name)) {
        throw new StrataError(
          'UNDECLARED_COLLECTION',
          `Projection '${options.name}' wrote to '${name}', which it does not declare. Add it to @Projection({ collections }): ${Object.keys(options.collections).join(', ')} are declared.`,
        );
      }
      return tx.collection(physicalName(name));
    },
  };
}

/** Whether a projection receives events of this type. */
export function handlesEventType(options: ProjectionOptions, type: string): boolean {
  return options.events === undefined || options.events.includes(type);
}

/**
 * Hands `events` to the handler in order within one unit of work; a throw becomes a
 * `ProjectionHandlerError` that says which event failed.
 */
export async function applyEvents(
  handler: ProjectionHandler<never>,
  options: ProjectionOptions,
  events: readonly RecordedEvent[],
  ctx: ProjectionContext,
): Promise<void> {
  for (const [index, event] of events.entries()) {
    if (!handlesEventType(options, event.type)) continue;
    try {
      await (handler as ProjectionHandler).handle(event, ctx);
    } catch (error) {
      throw new ProjectionHandlerError(options.name, index, event, error);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
