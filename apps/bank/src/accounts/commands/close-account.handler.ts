import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { accountDecider } from '../account.decider';
import type { AccountHandle } from './account-handle';
import { requesterOf } from './requester';
import { CloseAccountCommand } from './close-account.command';

/** Runs `CloseAccountCommand` through the account decider. */
@CommandHandler(CloseAccountCommand)
export class CloseAccountHandler implements ICommandHandler<CloseAccountCommand, CommandResult> {
  constructor(@InjectDecider(accountDecider) private readonly accounts: AccountHandle) {}

  execute(command: CloseAccountCommand): Promise<CommandResult> {
    const { accountId, context } = command;
    return this.accounts.handle(accountId, { type: 'CloseAccount', accountId, ...requesterOf(context) }, context);
  }
}
