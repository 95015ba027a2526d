import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDecider, type CommandResult } from '@strata/core';
import { accountDecider } from '../account.decider';
import type { AccountHandle } from './account-handle';
import { requesterOf } from './requester';
import { DepositMoneyCommand } from './deposit-money.command';

/** Runs `DepositMoneyCommand` through the account decider. */
@CommandHandler(DepositMoneyCommand)
export class DepositMoneyHandler implements ICommandHandler<DepositMoneyCommand, CommandResult> {
  constructor(@InjectDecider(accountDecider) private readonly accounts: AccountHandle) {}

  execute(command: DepositMoneyCommand): Promise<CommandResult> {
    const { accountId, context } = command;
    return this.accounts.handle(accountId, { type: 'DepositMoney', accountId, amount: command.amount, ...command.leg, ...requesterOf(context) }, context);
  }
}
