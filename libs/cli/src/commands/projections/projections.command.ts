import { Command, CommandRunner } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { ProjectionsListCommand } from './projections-list.command';
import { ProjectionsReplayCommand } from './projections-replay.command';

/** `projections`: the group; on its own it is a usage error that names the subcommands. */
@Command({ name: 'projections', description: 'Inspect and rebuild projections', subCommands: [ProjectionsListCommand, ProjectionsReplayCommand] })
export class ProjectionsCommand extends CommandRunner {
  async run(): Promise<void> {
    throw new UsageError("projections: name a subcommand, 'list' or 'replay'.");
  }
}
