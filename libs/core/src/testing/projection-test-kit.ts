import type { LoggerService } from '@nestjs/common';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { RecordedEvent } from '../events/event';
import type { ProjectionContext } from '../projections/projection-handler';
import type { ProjectionOptions } from '../projections/projection-options';
import { DEFAULT_PROJECTION_SETTINGS, type ProjectionSettings } from '../projections/projection-settings';
import type { RegisteredProjection } from '../projections/registered-projection';

/** The two stores a runner needs. */
export interface ProjectionStores {
  readonly events: EventStore;
  readonly documents: DocumentStore;
}

/** Fresh, empty storage for one test, and a way to connect to it again as another process would. */
export interface ProjectionBackend extends ProjectionStores {
  /** Stores on the same data through new connections (the same instances where there are no connections). */
  connectAgain(): Promise<ProjectionStores>;
  close(): Promise<void>;
}

/** Fast settings, so leases, polls and retries play out within a test. */
export const TEST_SETTINGS: ProjectionSettings = {
  ...DEFAULT_PROJECTION_SETTINGS,
  batchSize: 10,
  replayBatchSize: 7,
  pollIntervalMs: 20,
  leaseTtlMs: 600,
  maxAttempts: 3,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
};

export const TALLY_OPTIONS: ProjectionOptions = {
  name: 'tally',
  version: 1,
  events: ['Counted'],
  collections: { applied: {}, totals: { indexes: [{ keys: { total: 1 } }] } },
};

export type Step = (event: RecordedEvent, ctx: ProjectionContext) => Promise<void> | void;

/**
 * Records every application of an event in `applied` (a count per position, so applying
 * one twice shows), and a running total. `before` runs first and may throw or block.
 */
export function tally(by: string, before: Step = () => undefined, options: ProjectionOptions = TALLY_OPTIONS): RegisteredProjection {
  return {
    options,
    handler: {
      async handle(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
        await before(event, ctx);
        await ctx.collection('applied').updateOne({ _id: event.position }, { $inc: { count: 1 }, $set: { by, n: event.data['n'] } }, { upsert: true });
        await ctx.collection('totals').updateOne({ _id: 'all' }, { $inc: { total: Number(event.data['n']) } }, { upsert: true });
      },
    },
  };
}

export interface Heard {
  readonly logger: LoggerService;
  readonly lines: string[];
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function quietLogger(): Heard {
  const lines: string[] = [];
  const keep = (message: unknown): void => void lines.push(String(message));
  return { lines, logger: { log: keep, warn: keep, error: keep } };
}

/** Polls `check` until it holds, or fails after `timeoutMs` naming what it waited for. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Appends one `type` event per n in `from..to`, over three streams. */
export async function count(stores: ProjectionStores, from: number, to: number, type = 'Counted'): Promise<void> {
  for (let n = from; n <= to; n++) await stores.events.appendToStream(`Counter-${n % 3}`, [{ type, data: { n } }]);
}
