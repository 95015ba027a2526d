import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { accountDecider } from './account.decider';
import { AccountsController } from './accounts.controller';
import { CommandHandlers } from './commands';

/** Bank accounts: the decider, its command handlers and the HTTP endpoints. */
@Module({
  imports: [StrataModule.forFeature({ deciders: [accountDecider] })],
  controllers: [AccountsController],
  providers: [...CommandHandlers],
})
export class AccountsModule {}
