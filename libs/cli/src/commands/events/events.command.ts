import { Command, CommandRunner } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { EventsTailCommand } from './events-tail.command';

/** `events`: the group; on its own it is a usage error that names the subcommand. */
@Command({ name: 'events', description: 'Read the event log', subCommands: [EventsTailCommand] })
export class EventsCommand extends CommandRunner {
  async run(): Promise<void> {
    throw new UsageError("events: name a subcommand, 'tail'.");
  }
}
