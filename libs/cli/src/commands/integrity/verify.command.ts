import { Inject } from '@nestjs/common';
import { EventStore } from '@strata/core';
import { Command, CommandRunner } from 'nest-commander';
import { CommandFailedError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { CLI_SETTINGS, type CliSettings } from '../../cli-settings';
import { problemLine, scanLog, scanSummary } from './log-scan';

/**
 * `verify`: reads the whole event log and checks every event's checksum, every stream's
 * revisions, and the store's own storage check. Prints every bad position; exits 1 if any.
 */
@Command({ name: 'verify', description: "Scan the whole event log: checksums, each stream's revisions, and the store's integrity check" })
export class VerifyCommand extends CommandRunner {
  constructor(
    private readonly events: EventStore,
    private readonly output: CliOutput,
    @Inject(CLI_SETTINGS) private readonly settings: CliSettings,
  ) {
    super();
  }

  async run(): Promise<void> {
    const result = await scanLog(this.events, this.output, this.settings.progressIntervalMs, 'verify');
    for (const problem of result.problems) this.output.line(problemLine(problem));
    if (result.problems.length > 0) {
      throw new CommandFailedError(
        `verify found ${result.problems.length} problem(s) in ${result.events} events, listed above. Restore from a verified backup ('restore <file> --verify').`,
      );
    }
    this.output.line(`verify: ${scanSummary(result)}`);
  }
}
