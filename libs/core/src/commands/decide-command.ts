import { Command } from '@nestjs/cqrs';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-result';

/**
 * A decider's command on its way through the `CommandBus`: `DecideCommandHandler` runs it on
 * entity `id` of the decider registered under `category`. `CommandSender` and the saga
 * dispatcher send these, so a plain command needs no Command class or handler of its own.
 */
export class DecideCommand<C = unknown> extends Command<CommandResult> {
  constructor(
    /** The decider's `category`, as registered with `StrataModule.forFeature({ deciders })`. */
    readonly category: string,
    readonly id: string,
    readonly command: C,
    readonly context: CommandContext = {},
  ) {
    super();
  }
}
