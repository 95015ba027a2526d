import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';
import type { Requester, TransferLeg } from '../account.decider';

/** Takes `amount` minor units out of an open account, never below zero. */
export class WithdrawMoneyCommand extends Command<CommandResult> {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly context: CommandContext,
    /** Set when a transfer saga moves the money: the transfer, and who requested it (the owner must have). */
    readonly leg: Omit<TransferLeg, 'refund'> & Requester = {},
  ) {
    super();
  }
}
