import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  StrataAuthModule,
  StrataModule,
  StrataObservabilityModule,
  StrataThrottleModule,
  type StrataModuleOptions,
} from '@strata/core';
import { kurrentdbAdapter } from '@strata/eventstoredb';
import { mongodbAdapter } from '@strata/mongodb';
import { sqliteAdapter } from '@strata/sqlite';
import { AccountsModule } from './accounts/accounts.module';
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
          adapters: [sqliteAdapter(), kurrentdbAdapter(), mongodbAdapter()],
          ...options.strata,
        }),
        StrataObservabilityModule.forRoot({ env }),
        // Throttling guards before auth, so a flood of bad tokens is limited too.
        StrataThrottleModule.forRoot({ env }),
        StrataAuthModule.forRoot({ env }),
        AccountsModule,
        TransfersModule,
      ],
    };
  }
}
