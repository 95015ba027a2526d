import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { StrataIntegrationModule, StrataModule, StrataObservabilityModule, type StrataModuleOptions } from '@strata/core';
import { natsTransport } from '@strata/nats';
import { rabbitmqTransport } from '@strata/rabbitmq';
import { sqliteAdapter } from '@strata/sqlite';
import { StatementsModule } from './statements/statements.module';

/** What a test may change; production runs with none. */
export interface StatementsOptions {
  readonly strata?: StrataModuleOptions;
}

/** The statements service: its own store, fed by the bank's integration events. `runStrataApp` adds the HTTP stack and the logger. */
@Module({})
export class AppModule {
  static forRoot(options: StatementsOptions = {}): DynamicModule {
    const env = options.strata?.env ?? process.env;
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        StrataModule.forRoot({ adapters: [sqliteAdapter()], ...options.strata }),
        StrataObservabilityModule.forRoot({ env }),
        StrataIntegrationModule.forRoot({ source: 'statements', env, transports: [natsTransport, rabbitmqTransport] }),
        StatementsModule,
      ],
    };
  }
}
