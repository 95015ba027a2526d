import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@strata/core';

/** Opens account `accountId` for `owner`. */
export class OpenAccountCommand extends Command<CommandResult> {
  constructor(
    readonly accountId: string,
    readonly owner: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
