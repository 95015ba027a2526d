import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';

/** Marks a pending transfer completed: the money has arrived. */
export class CompleteTransferCommand extends Command<CommandResult> {
  constructor(
    readonly transferId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
