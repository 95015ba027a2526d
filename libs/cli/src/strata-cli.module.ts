import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CLI_SETTINGS, cliSettingsFrom } from './cli-settings';
import { CliOutput } from './cli-output';
import { CommanderSetup } from './commander-setup';
import { EventsTailCommand } from './commands/events/events-tail.command';
import { EventsCommand } from './commands/events/events.command';
import { BackupCommand } from './commands/integrity/backup.command';
import { RestoreCommand } from './commands/integrity/restore.command';
import { VerifyCommand } from './commands/integrity/verify.command';
import { ParkedListCommand } from './commands/parked/parked-list.command';
import { ParkedRetryCommand } from './commands/parked/parked-retry.command';
import { ParkedSkipCommand } from './commands/parked/parked-skip.command';
import { ParkedCommand } from './commands/parked/parked.command';
import { ProjectionsListCommand } from './commands/projections/projections-list.command';
import { ProjectionsReplayCommand } from './commands/projections/projections-replay.command';
import { ProjectionsRetireCommand } from './commands/projections/projections-retire.command';
import { ProjectionsCommand } from './commands/projections/projections.command';
import { SagasListCommand } from './commands/sagas/sagas-list.command';
import { SagasCommand } from './commands/sagas/sagas.command';

const COMMANDS = [
  ProjectionsCommand,
  ProjectionsListCommand,
  ProjectionsReplayCommand,
  ProjectionsRetireCommand,
  ParkedCommand,
  ParkedListCommand,
  ParkedRetryCommand,
  ParkedSkipCommand,
  SagasCommand,
  SagasListCommand,
  EventsCommand,
  EventsTailCommand,
  VerifyCommand,
  BackupCommand,
  RestoreCommand,
];

/** What an app adds to the CLI. */
export interface StrataCliOptions {
  /** Extra providers the commands may use. */
  readonly providers?: readonly Provider[];
}

/**
 * Strata's operator commands. Import it beside the app's module (with `StrataModule.forRoot`
 * and `projections: { autoStart: false }`), and run both with `runStrataCli`.
 */
@Module({})
export class StrataCliModule {
  static forRoot(options: StrataCliOptions = {}): DynamicModule {
    return {
      module: StrataCliModule,
      providers: [
        CliOutput,
        CommanderSetup,
        { provide: CLI_SETTINGS, useFactory: () => cliSettingsFrom(process.env) },
        ...(options.providers ?? []),
        ...COMMANDS,
      ],
    };
  }
}
