import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AccountsQueriesController } from './queries/accounts-queries.controller';

/** The accounts' endpoints: commands through the decider, queries through the query bus. Only the HTTP app mounts it. */
@Module({ controllers: [AccountsController, AccountsQueriesController] })
export class AccountsHttpModule {}
