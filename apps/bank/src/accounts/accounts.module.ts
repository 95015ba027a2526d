import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { accountDecider } from './account.decider';
import { AccountsController } from './accounts.controller';
import { AccountTransactionsProjection } from './projections/account-transactions.projection';
import { AccountsProjection } from './projections/accounts.projection';
import { AccountsQueriesController, QueryHandlers } from './queries';

/** Bank accounts: the decider (its commands sent from the controller), the read models and their queries, over HTTP. */
@Module({
  imports: [
    StrataModule.forFeature({
      deciders: [accountDecider],
      projections: [AccountsProjection, AccountTransactionsProjection],
    }),
  ],
  controllers: [AccountsController, AccountsQueriesController],
  providers: [...QueryHandlers],
})
export class AccountsModule {}
