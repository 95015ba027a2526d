import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { accountDecider } from './account.decider';
import { AccountsController } from './accounts.controller';
import { CommandHandlers } from './commands';
import { AccountTransactionsProjection } from './projections/account-transactions.projection';
import { AccountsProjection } from './projections/accounts.projection';
import { AccountsQueriesController, QueryHandlers } from './queries';

/** Bank accounts: the decider and its command handlers, the read models and their queries, over HTTP. */
@Module({
  imports: [
    StrataModule.forFeature({
      deciders: [accountDecider],
      projections: [AccountsProjection, AccountTransactionsProjection],
    }),
  ],
  controllers: [AccountsController, AccountsQueriesController],
  providers: [...CommandHandlers, ...QueryHandlers],
})
export class AccountsModule {}
