import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';

/** Closes an open account whose balance is zero. */
export class CloseAccountCommand extends Command<CommandResult> {
  constructor(
    readonly accountId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
