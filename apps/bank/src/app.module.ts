import { Module, type DynamicModule } from '@nestjs/common';
import { StrataAuthModule, StrataObservabilityModule, StrataThrottleModule } from '@strata/core';
import { postgresThrottleStore } from '@strata/postgres';
import { AccountsHttpModule } from './accounts/accounts-http.module';
import { BankModule, type BankOptions } from './bank.module';
import { TransfersHttpModule } from './transfers/transfers-http.module';

export type { BankOptions } from './bank.module';

/** The bank service over HTTP: the bank, its endpoints, health and metrics, throttling and auth. */
@Module({})
export class AppModule {
  static forRoot(options: BankOptions = {}): DynamicModule {
    const env = options.strata?.env ?? process.env;
    return {
      module: AppModule,
      imports: [
        BankModule.forRoot(options),
        StrataObservabilityModule.forRoot({ env }),
        // Throttling guards before auth, so a flood of bad tokens is limited too. STRATA_THROTTLE_STORE=postgres shares the counts between instances.
        StrataThrottleModule.forRoot({ env, stores: [postgresThrottleStore()] }),
        StrataAuthModule.forRoot({ env }),
        AccountsHttpModule,
        TransfersHttpModule,
      ],
    };
  }
}
