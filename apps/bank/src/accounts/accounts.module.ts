import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { accountDecider } from './account.decider';
import { AccountTransactionsProjection } from './projections/account-transactions.projection';
import { AccountsProjection } from './projections/accounts.projection';
import { QueryHandlers } from './queries';

/** Bank accounts: the decider, the read models and their queries; `AccountsHttpModule` serves them over HTTP. */
@Module({
  imports: [
    StrataModule.forFeature({
      deciders: [accountDecider],
      projections: [AccountsProjection, AccountTransactionsProjection],
    }),
  ],
  providers: [...QueryHandlers],
})
export class AccountsModule {}
