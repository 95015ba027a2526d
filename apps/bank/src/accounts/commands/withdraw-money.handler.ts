import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { accountDecider } from '../account.decider';
import type { AccountHandle } from './account-handle';
import { requesterOf } from './requester';
import { WithdrawMoneyCommand } from './withdraw-money.command';

/** Runs `WithdrawMoneyCommand` through the account decider. */
@CommandHandler(WithdrawMoneyCommand)
export class WithdrawMoneyHandler implements ICommandHandler<WithdrawMoneyCommand, CommandResult> {
  constructor(@InjectDecider(accountDecider) private readonly accounts: AccountHandle) {}

  execute(command: WithdrawMoneyCommand): Promise<CommandResult> {
    const { accountId, context } = command;
    return this.accounts.handle(accountId, { type: 'WithdrawMoney', accountId, amount: command.amount, ...command.leg, ...requesterOf(context) }, context);
  }
}
