import { Inject } from '@nestjs/common';
import { Projections } from '@strata/core';
import { type ReplayResult } from '@strata/core/adapter';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { CommandFailedError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { CLI_SETTINGS, type CliSettings } from '../../cli-settings';
import { formatDuration } from '../../format/duration';
import { ProgressReporter } from '../../format/progress-reporter';
import { formatCount } from '../../format/table';
import { exactlyOne } from '../arguments';
import { knownProjections } from '../projection-names';

interface ReplayOptions {
  readonly all?: boolean;
}

/**
 * `projections replay <name...> | --all`: rebuilds each projection in shadow collections while
 * the app keeps serving (and updating) the live ones, then swaps them in. Ctrl-C stops before
 * the swap and leaves the live read model as it was.
 */
@SubCommand({
  name: 'replay',
  arguments: '[names...]',
  argsDescription: { names: 'projections to rebuild' },
  description: 'Rebuild projections from the start of the log in shadow collections, then swap them in atomically',
})
export class ProjectionsReplayCommand extends CommandRunner {
  private stopRequested = false;

  constructor(
    private readonly projections: Projections,
    private readonly output: CliOutput,
    @Inject(CLI_SETTINGS) private readonly settings: CliSettings,
  ) {
    super();
  }

  async run(names: string[], options: ReplayOptions): Promise<void> {
    exactlyOne('projections replay', names, options.all === true, 'the projections to replay');
    const targets = options.all ? this.projections.names : knownProjections(this.projections, names);
    const stop = (): void => {
      this.stopRequested = true;
      this.output.progress('\nstopping before the swap; the live read model stays as it is...\n');
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const done: string[] = [];
    try {
      for (const name of targets) {
        this.output.line(summary(await this.replay(name)));
        done.push(name);
      }
    } catch (error) {
      const rest = targets.filter((name) => !done.includes(name));
      const message = error instanceof Error ? error.message : String(error);
      throw new CommandFailedError(done.length > 0 ? `${message} (replayed: ${done.join(', ')}; not replayed: ${rest.join(', ')})` : message);
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  }

  @Option({ flags: '--all', description: 'replay every projection, one after another' })
  all(): boolean {
    return true;
  }

  private async replay(name: string): Promise<ReplayResult> {
    const reporter = new ProgressReporter(this.output, this.settings.progressIntervalMs);
    reporter.start(name);
    try {
      return await this.projections.replay(name, { onProgress: (progress) => reporter.update(progress), shouldStop: () => this.stopRequested });
    } finally {
      reporter.finish();
    }
  }
}

function summary(result: ReplayResult): string {
  const rate = result.elapsedMs > 0 ? ` (${formatCount((result.events * 1000) / result.elapsedMs)} events/s)` : '';
  const held = result.held > 0 ? ` and ${result.held} held behind them` : '';
  const parked = result.parked > 0 ? `; ${result.parked} events parked${held}, see 'parked list'` : '';
  return `${result.projection}: rebuilt v${result.version} from ${formatCount(result.events)} events in ${formatDuration(result.elapsedMs)}${rate} and swapped in at ${result.checkpoint ?? 'the start'}${parked}`;
}
