import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';

/** Marks a pending transfer failed, saying why; any money it withdrew has been returned by then. */
export class FailTransferCommand extends Command<CommandResult> {
  constructor(
    readonly transferId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
