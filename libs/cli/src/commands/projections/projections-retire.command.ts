import { Projections } from '@strata/core';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { wholeNumber } from '../arguments';
import { knownProjections } from '../projection-names';

interface RetireOptions {
  readonly version?: number;
}

/**
 * `projections retire <name> --version N`: drops an old version's collections and checkpoint
 * once no live instance serves it (exit 1 naming them otherwise).
 */
@SubCommand({
  name: 'retire',
  arguments: '<name>',
  argsDescription: { name: 'the projection' },
  description: "Drop one version's collections and checkpoint; refused while a live instance serves it",
})
export class ProjectionsRetireCommand extends CommandRunner {
  constructor(
    private readonly projections: Projections,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([name]: string[], options: RetireOptions): Promise<void> {
    const [projection] = knownProjections(this.projections, name === undefined ? [] : [name]);
    if (projection === undefined) throw new UsageError('projections retire: name the projection, e.g. projections retire accounts --version 1.');
    if (options.version === undefined) throw new UsageError('projections retire: say which version with --version N.');
    const result = await this.projections.retire(projection, options.version);
    const dropped = result.dropped.length === 0 ? 'no collections held documents' : `dropped ${result.dropped.join(', ')}`;
    this.output.line(`${result.projection}: retired v${result.version}; ${dropped}; its checkpoint is gone.`);
  }

  @Option({ flags: '--version <n>', description: 'the version to retire' })
  version(text: string): number {
    return wholeNumber('--version', text, 1, 9_999);
  }
}
