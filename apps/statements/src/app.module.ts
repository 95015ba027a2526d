import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { StrataIntegrationModule, StrataModule, StrataObservabilityModule, strataLoggerParams, type StrataLoggerOptions, type StrataModuleOptions } from '@strata/core';
import { natsTransport } from '@strata/nats';
import { rabbitmqTransport } from '@strata/rabbitmq';
import { sqliteAdapter } from '@strata/sqlite';
import { LoggerModule } from 'nestjs-pino';
import { StatementsModule } from './statements/statements.module';

/** What a test may change; production runs with none. */
export interface StatementsOptions {
  readonly strata?: StrataModuleOptions;
  readonly logger?: StrataLoggerOptions;
}

/** The statements service: its own store, fed by the bank's integration events. */
@Module({})
export class AppModule {
  static forRoot(options: StatementsOptions = {}): DynamicModule {
    const env = options.strata?.env ?? process.env;
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(strataLoggerParams(options.logger)),
        CqrsModule.forRoot(),
        StrataModule.forRoot({ adapters: [sqliteAdapter()], ...options.strata }),
        StrataObservabilityModule.forRoot({ env }),
        StrataIntegrationModule.forRoot({ source: 'statements', env, transports: [natsTransport, rabbitmqTransport] }),
        StatementsModule,
      ],
    };
  }
}
