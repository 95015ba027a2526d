import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  StrataAuthModule,
  StrataIntegrationModule,
  StrataModule,
  StrataObservabilityModule,
  StrataThrottleModule,
  type StrataModuleOptions,
} from '@strata/core';
import { kurrentdbAdapter } from '@strata/eventstoredb';
import { mongodbAdapter } from '@strata/mongodb';
import { postgresAdapter, postgresThrottleStore } from '@strata/postgres';
import { natsTransport } from '@strata/nats';
import { rabbitmqTransport } from '@strata/rabbitmq';
import { sqliteAdapter } from '@strata/sqlite';
import { AccountsModule } from './accounts/accounts.module';
import { BankIntegrationMapper, PUBLISHED_EVENT_TYPES } from './integration/bank-integration.mapper';
import { TransfersModule } from './transfers/transfers.module';

/** What a test (or another entry point) may change; production runs with none. */
export interface BankOptions {
  /** Merged over the defaults, e.g. `{ eventStore: 'memory' }` or a `retry` policy; its `env` configures everything. */
  readonly strata?: StrataModuleOptions;
}

/** The bank service. */
@Module({})
export class AppModule {
  static forRoot(options: BankOptions = {}): DynamicModule {
    const env = options.strata?.env ?? process.env;
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        StrataModule.forRoot({
          // The first is the default; the others are picked by STRATA_EVENT_STORE / STRATA_READ_STORE.
          adapters: [sqliteAdapter(), postgresAdapter(), kurrentdbAdapter(), mongodbAdapter()],
          ...options.strata,
        }),
        StrataObservabilityModule.forRoot({ env }),
        // Throttling guards before auth, so a flood of bad tokens is limited too. STRATA_THROTTLE_STORE=postgres shares the counts between instances.
        StrataThrottleModule.forRoot({ env, stores: [postgresThrottleStore()] }),
        StrataAuthModule.forRoot({ env }),
        // Off unless STRATA_INTEGRATION_TRANSPORT names a broker: then the bank publishes its integration events.
        StrataIntegrationModule.forRoot({ source: 'bank', env, transports: [natsTransport, rabbitmqTransport], publish: { mapper: BankIntegrationMapper, events: PUBLISHED_EVENT_TYPES } }),
        AccountsModule,
        TransfersModule,
      ],
    };
  }
}
