import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Draining } from '../lifecycle/draining';
import type { Environment } from '../module/strata-adapter';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { READINESS_SETTINGS, ReadinessChecks } from './readiness-checks';
import { readinessSettingsFrom } from './readiness-settings';
import { StorageHealth } from './storage-health';
import { StrataMetrics } from './strata-metrics';
import { SubscriptionLags } from './subscription-lags';

/**
 * `/health/live`, `/health/ready` (terminus) and `/metrics` (Prometheus) for a Strata app, plus
 * the `Draining` flag a graceful shutdown raises. Import it next to `StrataModule.forRoot`.
 */
@Module({})
export class StrataObservabilityModule {
  static forRoot(options: { readonly env?: Environment } = {}): DynamicModule {
    return {
      module: StrataObservabilityModule,
      global: true,
      // Terminus logs every failed check as an error; a not-ready answer is routine (while draining, say).
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        Draining,
        SubscriptionLags,
        ReadinessChecks,
        StorageHealth,
        StrataMetrics,
        { provide: READINESS_SETTINGS, useFactory: () => readinessSettingsFrom(options.env ?? process.env) },
      ],
      exports: [Draining, StrataMetrics, SubscriptionLags, StorageHealth],
    };
  }
}
