import { Module, type DynamicModule, type OnApplicationShutdown, type Provider, type Type, type ModuleMetadata } from '@nestjs/common';
import { AggregateHandle } from '../commands/aggregate-handle';
import { CommandSender } from '../commands/command-sender';
import { DecideCommandHandler } from '../commands/decide-command.handler';
import { getDeciderToken } from './decider-token';
import { resolveRetryPolicy } from '../commands/retry-policy';
import type { AnyDecider } from '../decider/decider-types';
import { EventStore } from '../event-store/event-store';
import { requireProjectionOptions, type ProjectionClass } from '../projections/projection.decorator';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { strataValidationPipe } from '../http/strata-validation-pipe';
import { UnknownQueryInterceptor } from '../http/unknown-query.interceptor';
import { ReadYourWritesInterceptor } from '../consistency/read-your-writes.interceptor';
import { DocumentStore } from '../documents/document-store';
import { Projections } from '../projections/projections.service';
import { Clock, SystemClock } from '../sagas/clock';
import { requireSagaOptions, type SagaClass } from '../sagas/saga.decorator';
import { Sagas } from '../sagas/sagas.service';
import { ReadModels } from '../read-models/read-models';
import { openEventStore, resolveDocumentStore, type OpenedEventStore } from './resolve-event-store';
import { resolveSnapshotStore } from './resolve-snapshot-store';
import { SnapshotStore } from '../snapshots/snapshot-store';
import { Snapshots } from '../snapshots/snapshots';
import { STRATA_OPTIONS, type StrataModuleAsyncOptions, type StrataModuleOptions, type StrataOptionsFactory } from './strata-options';

/** What one feature module contributes. */
export interface StrataFeature {
  readonly deciders?: readonly AnyDecider[];
  readonly projections?: readonly ProjectionClass[];
  readonly sagas?: readonly SagaClass[];
  /** Modules whose exported providers the feature's projections and sagas inject (settings, say). */
  readonly imports?: ModuleMetadata['imports'];
}


export { getDeciderToken, InjectDecider } from './decider-token';

/** The injection token of the deciders' `Snapshots`: null when there is no snapshot store. */
export const STRATA_SNAPSHOTS = Symbol('STRATA_SNAPSHOTS');
const OPENED_EVENT_STORE = Symbol('STRATA_OPENED_EVENT_STORE');

// Closes the stores after every `beforeApplicationShutdown` (where runners stop) has run.
// A store handed in ready-made belongs to whoever made it, and stays open.
class StoreCloser implements OnApplicationShutdown {
  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly options: StrataModuleOptions,
    private readonly snapshots: Snapshots | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Queued snapshots are written first (for a bounded time), while the event store is open.
    if (this.snapshots) {
      await this.snapshots.close();
      if (!(this.options.snapshotStore instanceof SnapshotStore)) await this.snapshots.store.close();
    }
    await Promise.all([
      this.options.eventStore instanceof EventStore ? undefined : this.events.close(),
      this.options.readStore instanceof DocumentStore ? undefined : this.documents.close(),
    ]);
  }
}

const storeProviders: Provider[] = [
  { provide: OPENED_EVENT_STORE, inject: [STRATA_OPTIONS], useFactory: openEventStore },
  { provide: EventStore, inject: [OPENED_EVENT_STORE], useFactory: (opened: OpenedEventStore) => opened.store },
  // After the event store, so a bad STRATA_EVENT_STORE is the error reported first.
  {
    provide: DocumentStore,
    inject: [STRATA_OPTIONS, EventStore],
    useFactory: (options: StrataModuleOptions) => resolveDocumentStore(options),
  },
  {
    provide: STRATA_SNAPSHOTS,
    inject: [STRATA_OPTIONS, OPENED_EVENT_STORE, DocumentStore],
    useFactory: async (options: StrataModuleOptions, opened: OpenedEventStore): Promise<Snapshots | null> => {
      const store = await resolveSnapshotStore(options, opened);
      return store ? new Snapshots(store) : null;
    },
  },
  {
    provide: StoreCloser,
    inject: [EventStore, DocumentStore, STRATA_OPTIONS, STRATA_SNAPSHOTS],
    useFactory: (events: EventStore, documents: DocumentStore, options: StrataModuleOptions, snapshots: Snapshots | null) =>
      new StoreCloser(events, documents, options, snapshots),
  },
  Projections,
  { provide: Clock, inject: [STRATA_OPTIONS], useFactory: (options: StrataModuleOptions) => options.clock ?? new SystemClock() },
  Sagas,
  ReadModels,
  // Unknown query parameters are refused before a query waits for its position.
  { provide: APP_INTERCEPTOR, useClass: UnknownQueryInterceptor },
  { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
  // App-wide, whoever creates the app: a body that fails validation never reaches a command
  // handler (so never the log), and a DomainError is a 422 problem+json, never a 500.
  { provide: APP_PIPE, useFactory: strataValidationPipe },
  { provide: APP_FILTER, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => new ProblemDetailsFilter(host) },
  // One handler for every decider's commands, whichever feature module registers the decider.
  DecideCommandHandler,
  CommandSender,
];

/** The providers that make `STRATA_OPTIONS` the way `forRootAsync` was asked to. */
function asyncOptionsProviders(options: StrataModuleAsyncOptions): Provider[] {
  const checked = async (made: StrataModuleOptions | Promise<StrataModuleOptions>): Promise<StrataModuleOptions> => {
    const value: unknown = await made;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError(`StrataModule.forRootAsync: the options factory returned ${Array.isArray(value) ? 'an array' : String(value)}, not an options object.`);
    }
    return value;
  };
  const fromFactory = (factory: StrataOptionsFactory): Promise<StrataModuleOptions> => checked(factory.createStrataOptions());
  if ('useFactory' in options) {
    const { useFactory } = options;
    return [{ provide: STRATA_OPTIONS, inject: [...(options.inject ?? [])], useFactory: (...args: never[]) => checked(useFactory(...args)) }];
  }
  if ('useClass' in options) {
    return [options.useClass, { provide: STRATA_OPTIONS, inject: [options.useClass], useFactory: fromFactory }];
  }
  return [{ provide: STRATA_OPTIONS, inject: [options.useExisting], useFactory: fromFactory }];
}

const rootExports = [EventStore, DocumentStore, Projections, Sagas, Clock, ReadModels, CommandSender, STRATA_OPTIONS, STRATA_SNAPSHOTS];

/** Strata's Nest module: `forRoot` once in the app, `forFeature` per feature module. */
@Module({})
export class StrataModule {
  static forRoot(options: StrataModuleOptions = {}): DynamicModule {
    return {
      module: StrataModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: STRATA_OPTIONS, useValue: options }, ...storeProviders],
      exports: rootExports,
    };
  }

  static forRootAsync(options: StrataModuleAsyncOptions): DynamicModule {
    return {
      module: StrataModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [...asyncOptionsProviders(options), ...storeProviders],
      exports: rootExports,
    };
  }

  /**
   * Registers a feature's deciders, each injectable with `@InjectDecider(decider)`, and its
   * `@Projection` classes, which the root module's runners then keep up to date.
   */
  static forFeature(feature: StrataFeature): DynamicModule {
    const deciders: Provider[] = (feature.deciders ?? []).map((decider) => ({
      provide: getDeciderToken(decider),
      inject: [EventStore, STRATA_OPTIONS, STRATA_SNAPSHOTS],
      useFactory: (store: EventStore, options: StrataModuleOptions, snapshots: Snapshots | null) =>
        new AggregateHandle(store, decider, resolveRetryPolicy(options.retry), snapshots ?? undefined),
    }));
    const projections = (feature.projections ?? []).map((projection) => {
      requireProjectionOptions(projection);
      return projection as unknown as Type;
    });
    const sagas = (feature.sagas ?? []).map((saga) => {
      requireSagaOptions(saga);
      return saga as unknown as Type;
    });
    return {
      module: StrataModule,
      imports: feature.imports ?? [],
      providers: [...deciders, ...projections, ...sagas],
      exports: deciders.map((p) => (p as { provide: string }).provide),
    };
  }
}
