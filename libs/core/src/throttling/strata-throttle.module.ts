import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Environment } from '../module/strata-adapter';
import { FallbackThrottlerStorage } from './fallback-throttler-storage';
import { StrataThrottlerGuard } from './strata-throttler.guard';
import { THROTTLE_LIMIT_VARIABLE, throttleSettingsFrom, type ThrottleSettings } from './throttle-settings';
import { MEMORY_THROTTLE_STORE, selectThrottleStore, type ThrottleStore } from './throttle-store';

const THROTTLE_SETTINGS = Symbol('STRATA_THROTTLE_SETTINGS');
const THROTTLE_STORAGE = Symbol('STRATA_THROTTLE_STORAGE');

/** The shared storage this module opened, if any: the throttler's factory fills it, shutdown closes it. */
interface OpenedStorage {
  storage: FallbackThrottlerStorage | null;
  storeName: string;
}

/** Says once, at start-up, whether requests are throttled and where they are counted; closes a shared store at shutdown. */
@Injectable()
class ThrottleLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(THROTTLE_SETTINGS) private readonly settings: ThrottleSettings,
    @Inject(THROTTLE_STORAGE) private readonly opened: OpenedStorage,
  ) {}

  onApplicationBootstrap(): void {
    const logger = new Logger('Throttling');
    if (this.settings.limit === null) {
      logger.warn(`Throttling is off (${THROTTLE_LIMIT_VARIABLE} is not set): clients may send requests without limit.`);
      return;
    }
    const where = this.opened.storeName === MEMORY_THROTTLE_STORE ? 'counted in memory, per instance' : `counted in ${this.opened.storeName}, across every instance`;
    logger.log(`Throttling is on: ${this.settings.limit} requests per client every ${this.settings.ttlMs} ms, ${where}.`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.opened.storage?.close();
  }
}

/**
 * Per-client request limits (`@nestjs/throttler`, keyed by client IP), on when
 * `STRATA_THROTTLE_LIMIT` is set; an exceeded limit is a 429 problem+json with Retry-After.
 * Routes marked `@SkipThrottle()` (health, metrics) are never limited. Counts are kept in
 * memory, or in the shared store `STRATA_THROTTLE_STORE` names among `stores`, so that the
 * limit holds per client across instances.
 */
@Module({})
export class StrataThrottleModule {
  static forRoot(options: { readonly env?: Environment; readonly stores?: readonly ThrottleStore[] } = {}): DynamicModule {
    const env = options.env ?? process.env;
    const opened: OpenedStorage = { storage: null, storeName: MEMORY_THROTTLE_STORE };
    return {
      module: StrataThrottleModule,
      imports: [
        // The throttler's own factory reads the same settings: its providers live in its own scope.
        ThrottlerModule.forRootAsync({
          // Read in the factories, so a mistake fails the start as one line through the bootstrap.
          useFactory: async () => {
            const settings = throttleSettingsFrom(env);
            const store = settings.limit === null ? null : selectThrottleStore(env, options.stores ?? []);
            opened.storeName = store?.name ?? MEMORY_THROTTLE_STORE;
            if (store) opened.storage = new FallbackThrottlerStorage(await store.create(env), store.name);
            return {
              throttlers: [{ ttl: settings.ttlMs, limit: settings.limit ?? 1 }],
              skipIf: () => settings.limit === null,
              // One budget per client across every route (the throttler's default counts each route apart).
              generateKey: (_context: unknown, tracker: string, name: string) => `${name}:${tracker}`,
              ...(opened.storage ? { storage: opened.storage } : {}),
            };
          },
        }),
      ],
      providers: [
        { provide: THROTTLE_SETTINGS, useFactory: () => throttleSettingsFrom(env) },
        { provide: THROTTLE_STORAGE, useValue: opened },
        { provide: APP_GUARD, useClass: StrataThrottlerGuard },
        ThrottleLifecycle,
      ],
    };
  }
}
