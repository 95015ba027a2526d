import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { accountDecider } from '../account.decider';
import type { AccountHandle } from './account-handle';
import { OpenAccountCommand } from './open-account.command';

/** Runs `OpenAccountCommand` through the account decider. */
@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand, CommandResult> {
  constructor(@InjectDecider(accountDecider) private readonly accounts: AccountHandle) {}

  execute(command: OpenAccountCommand): Promise<CommandResult> {
    const { accountId, context } = command;
    return this.accounts.handle(accountId, { type: 'OpenAccount', accountId, owner: command.owner }, context);
  }
}
