import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';
import type { TransferLeg } from '../account.decider';

/** Pays `amount` minor units into an open account. */
export class DepositMoneyCommand extends Command<CommandResult> {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly context: CommandContext,
    /** Set when a transfer saga moves the money. */
    readonly leg: TransferLeg = {},
  ) {
    super();
  }
}
