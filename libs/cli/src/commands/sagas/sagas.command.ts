import { Command, CommandRunner } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { SagasListCommand } from './sagas-list.command';

/** `sagas`: the group; on its own it is a usage error that names the subcommand. */
@Command({ name: 'sagas', description: 'Inspect sagas', subCommands: [SagasListCommand] })
export class SagasCommand extends CommandRunner {
  async run(): Promise<void> {
    throw new UsageError("sagas: name a subcommand, 'list'.");
  }
}
