import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Environment } from '../module/strata-adapter';
import { StrataThrottlerGuard } from './strata-throttler.guard';
import { THROTTLE_LIMIT_VARIABLE, throttleSettingsFrom, type ThrottleSettings } from './throttle-settings';

const THROTTLE_SETTINGS = Symbol('STRATA_THROTTLE_SETTINGS');

/** Says once, at start-up, whether requests are throttled. */
@Injectable()
class ThrottleAnnouncer implements OnApplicationBootstrap {
  constructor(@Inject(THROTTLE_SETTINGS) private readonly settings: ThrottleSettings) {}

  onApplicationBootstrap(): void {
    const logger = new Logger('Throttling');
    if (this.settings.limit === null) logger.warn(`Throttling is off (${THROTTLE_LIMIT_VARIABLE} is not set): clients may send requests without limit.`);
    else logger.log(`Throttling is on: ${this.settings.limit} requests per client every ${this.settings.ttlMs} ms.`);
  }
}

/**
 * Per-client request limits (`@nestjs/throttler`, keyed by client IP), on when
 * `STRATA_THROTTLE_LIMIT` is set; an exceeded limit is a 429 problem+json with Retry-After.
 * Routes marked `@SkipThrottle()` (health, metrics) are never limited.
 */
@Module({})
export class StrataThrottleModule {
  static forRoot(options: { readonly env?: Environment } = {}): DynamicModule {
    const env = options.env ?? process.env;
    return {
      module: StrataThrottleModule,
      imports: [
        // The throttler's own factory reads the same settings: its providers live in its own scope.
        ThrottlerModule.forRootAsync({
          useFactory: () => {
            const resolved = throttleSettingsFrom(env);
            return {
              throttlers: [{ ttl: resolved.ttlMs, limit: resolved.limit ?? 1 }],
              skipIf: () => resolved.limit === null,
              // One budget per client across every route (the throttler's default counts each route apart).
              generateKey: (_context: unknown, tracker: string, name: string) => `${name}:${tracker}`,
            };
          },
        }),
      ],
      providers: [{ provide: THROTTLE_SETTINGS, useFactory: () => throttleSettingsFrom(env) }, { provide: APP_GUARD, useClass: StrataThrottlerGuard }, ThrottleAnnouncer],
    };
  }
}
