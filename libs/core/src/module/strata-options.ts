import type { ModuleMetadata, Type } from '@nestjs/common';
import type { RetryPolicy } from '../commands/retry-policy';
import type { DocumentStore } from '../documents/document-store';
import type { Clock } from '../sagas/clock';
import type { EventStore } from '../event-store/event-store';
import type { SnapshotStore } from '../snapshots/snapshot-store';
import type { ProjectionSettings } from '../projections/projection-settings';
import type { Upcaster } from '../events/upcasters';
import type { Environment, StrataAdapter } from './strata-adapter';

export interface StrataModuleOptions {
  /** Backends that configuration may select; the in-memory one is always available. */
  readonly adapters?: readonly StrataAdapter[];
  /**
   * An adapter name, or a ready store. Without it, `STRATA_EVENT_STORE` decides, and when
   * that is unset, the first adapter listed.
   */
  readonly eventStore?: string | EventStore;
  /**
   * Where read models, checkpoints and leases live: an adapter name, or a ready store. Without
   * it, `STRATA_READ_STORE` decides, and when that is unset, the event store's adapter.
   */
  readonly readStore?: string | DocumentStore;
  /**
   * Where deciders that opt in keep their snapshots: a ready store (its maker closes it), or
   * false for none. Without it, the event store's adapter provides one; an event store handed
   * in ready-made gets none.
   */
  readonly snapshotStore?: SnapshotStore | false;
  /** Overrides the projection runners' settings (and their `STRATA_PROJECTION_*` variables). */
  readonly projections?: Partial<ProjectionSettings>;
  /** Read-your-writes: how long a query waits for projections (default 5000 ms, or `STRATA_CONSISTENCY_TIMEOUT_MS`). */
  readonly consistency?: { readonly timeoutMs?: number };
  /** Saga engine settings. */
  readonly sagas?: { readonly dispatchConcurrency?: number };
  /** The clock sagas and deadlines read; the system clock by default. */
  readonly clock?: Clock;
  /** Where settings come from; defaults to `process.env`. */
  readonly env?: Environment;
  /** How commands retry after a concurrent write, over the defaults (10 attempts, 2–100 ms full jitter). */
  readonly retry?: Partial<RetryPolicy>;
  readonly upcasters?: readonly Upcaster[];
  /**
   * A query parameter an endpoint does not declare is a 400 naming it ('refuse', the default),
   * or is ignored ('allow'). One endpoint opts out with `@AllowUnknownQueryParameters()`.
   */
  readonly unknownQueryParameters?: 'refuse' | 'allow';
}

/** A class that builds the options, for `forRootAsync({ useClass })` or `forRootAsync({ useExisting })`. */
export interface StrataOptionsFactory {
  createStrataOptions(): StrataModuleOptions | Promise<StrataModuleOptions>;
}

type InjectionToken = string | symbol | (abstract new (...args: never[]) => unknown);

/**
 * `StrataModule.forRootAsync`: the options come from a factory with injected dependencies
 * (a config service, say), or from a `StrataOptionsFactory` class the module creates
 * (`useClass`) or one another module already provides (`useExisting`).
 */
export type StrataModuleAsyncOptions = Pick<ModuleMetadata, 'imports'> &
  (
    | {
        readonly useFactory: (...args: never[]) => StrataModuleOptions | Promise<StrataModuleOptions>;
        readonly inject?: readonly InjectionToken[];
      }
    | { readonly useClass: Type<StrataOptionsFactory> }
    | { readonly useExisting: InjectionToken }
  );

export const STRATA_OPTIONS = Symbol('STRATA_OPTIONS');
