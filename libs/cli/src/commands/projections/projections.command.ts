import { Command, CommandRunner } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { ProjectionsListCommand } from './projections-list.command';
import { ProjectionsReplayCommand } from './projections-replay.command';
import { ProjectionsRetireCommand } from './projections-retire.command';

/** `projections`: the group; on its own it is a usage error that names the subcommands. */
@Command({ name: 'projections', description: 'Inspect, rebuild and retire projections', subCommands: [ProjectionsListCommand, ProjectionsReplayCommand, ProjectionsRetireCommand] })
export class ProjectionsCommand extends CommandRunner {
  async run(): Promise<void> {
    throw new UsageError("projections: name a subcommand, 'list', 'replay' or 'retire'.");
  }
}
