import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { AggregateHandle } from '../commands/aggregate-handle';
import type { Decider } from '../decider/decider';
import { EventStore } from '../event-store/event-store';
import type { Event } from '../events/event';
import { resolveEventStore } from './resolve-event-store';
import { STRATA_OPTIONS, type StrataModuleAsyncOptions, type StrataModuleOptions } from './strata-options';

// Deciders are written as functions over unions; their variance is irrelevant for registration.
type AnyDecider = Decider<never, Event, unknown>;

/** The injection token of a decider's `AggregateHandle`. */
export function getDeciderToken(decider: { readonly category: string }): string {
  return `strata:decider:${decider.category}`;
}

/** Injects the `AggregateHandle` of a decider registered with `StrataModule.forFeature`. */
export const InjectDecider = (decider: { readonly category: string }): ParameterDecorator =>
  Inject(getDeciderToken(decider));

class EventStoreCloser implements OnApplicationShutdown {
  constructor(private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

const storeProviders: Provider[] = [
  { provide: EventStore, inject: [STRATA_OPTIONS], useFactory: resolveEventStore },
  { provide: EventStoreCloser, inject: [EventStore], useFactory: (store: EventStore) => new EventStoreCloser(store) },
];

/** Strata's Nest module: `forRoot` once in the app, `forFeature` per feature module. */
@Module({})
export class StrataModule {
  static forRoot(options: StrataModuleOptions = {}): DynamicModule {
    return {
      module: StrataModule,
      global: true,
      providers: [{ provide: STRATA_OPTIONS, useValue: options }, ...storeProviders],
      exports: [EventStore, STRATA_OPTIONS],
    };
  }

  static forRootAsync(options: StrataModuleAsyncOptions): DynamicModule {
    return {
      module: StrataModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: STRATA_OPTIONS, useFactory: options.useFactory, inject: [...(options.inject ?? [])] },
        ...storeProviders,
      ],
      exports: [EventStore, STRATA_OPTIONS],
    };
  }

  /** Registers deciders, each injectable with `@InjectDecider(decider)`. */
  static forFeature(feature: { readonly deciders?: readonly AnyDecider[] }): DynamicModule {
    const providers: Provider[] = (feature.deciders ?? []).map((decider) => ({
      provide: getDeciderToken(decider),
      inject: [EventStore, STRATA_OPTIONS],
      useFactory: (store: EventStore, options: StrataModuleOptions) =>
        new AggregateHandle(store, decider, options.retry),
    }));
    return { module: StrataModule, providers, exports: providers.map((p) => (p as { provide: string }).provide) };
  }
}
