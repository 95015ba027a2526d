import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';

/** Records a request to move `amount` minor units from one account to another; the transfer saga moves them. */
export class RequestTransferCommand extends Command<CommandResult> {
  constructor(
    readonly transferId: string,
    readonly from: string,
    readonly to: string,
    readonly amount: number,
    readonly context: CommandContext,
  ) {
    super();
  }
}
