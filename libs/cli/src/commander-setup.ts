import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';

/** The parts of a commander `Command` the CLI configures (nest-commander bundles its own commander). */
export interface CommanderCommand {
  readonly commands: readonly CommanderCommand[];
  name(): string;
  exitOverride(): unknown;
  configureOutput(configuration: { writeOut?: (text: string) => void; writeErr?: (text: string) => void; outputError?: (text: string, write: (text: string) => void) => void }): unknown;
}

/**
 * Makes commander throw instead of exiting, on every command and subcommand, and keeps its own
 * error text quiet: `runStrataCli` turns usage mistakes into one line and exit code 2.
 */
@Injectable()
export class CommanderSetup {
  constructor(@InjectCommander() private readonly root: CommanderCommand) {}

  configure(name: string): void {
    const visit = (command: CommanderCommand): void => {
      command.exitOverride();
      command.configureOutput({
        writeOut: (text) => process.stdout.write(text),
        writeErr: (text) => process.stderr.write(text),
        outputError: () => undefined,
      });
      command.commands.forEach(visit);
    };
    visit(this.root);
    if (!this.root.name()) (this.root as unknown as { name(name: string): unknown }).name(name);
  }
}
