import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IntegrationEvents } from './integration-events.service';
import { STRATA_INTEGRATION_OPTIONS, type StrataIntegrationOptions } from './integration-options';

/**
 * Integration events between services: import it beside `StrataModule.forRoot`. The service's
 * mapper (`publish.mapper`) must be a provider of the app; `@Inbox` classes are found wherever
 * they are provided.
 */
@Module({})
export class StrataIntegrationModule {
  static forRoot(options: StrataIntegrationOptions): DynamicModule {
    return {
      module: StrataIntegrationModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: STRATA_INTEGRATION_OPTIONS, useValue: options }, IntegrationEvents, ...(options.publish ? [options.publish.mapper] : [])],
      exports: [IntegrationEvents],
    };
  }
}
