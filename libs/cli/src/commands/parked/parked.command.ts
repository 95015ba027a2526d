import { Command, CommandRunner } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { ParkedListCommand } from './parked-list.command';
import { ParkedRetryCommand } from './parked-retry.command';
import { ParkedSkipCommand } from './parked-skip.command';

/** `parked`: the group; on its own it is a usage error that names the subcommands. */
@Command({ name: 'parked', description: 'List, retry or skip parked events', subCommands: [ParkedListCommand, ParkedRetryCommand, ParkedSkipCommand] })
export class ParkedCommand extends CommandRunner {
  async run(): Promise<void> {
    throw new UsageError("parked: name a subcommand, 'list', 'retry' or 'skip'.");
  }
}
