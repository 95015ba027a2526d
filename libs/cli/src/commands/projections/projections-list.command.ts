import { Projections, type ProjectionOverview } from '@strata/core';
import { Option, SubCommand, CommandRunner } from 'nest-commander';
import { CliOutput } from '../../cli-output';
import { formatTable, truncate } from '../../format/table';

interface ListOptions {
  readonly json?: boolean;
}

/** `projections list`: every projection's version, state, checkpoint, lag and parked count. */
@SubCommand({ name: 'list', description: 'List projections: version, state, checkpoint, lag behind the head, parked events' })
export class ProjectionsListCommand extends CommandRunner {
  constructor(
    private readonly projections: Projections,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_arguments: string[], options: ListOptions): Promise<void> {
    const rows = await this.projections.overview();
    this.output.listing(rows, options.json, 'no projections', (items) => [
      ...formatTable(
        ['name', 'version', 'state', 'checkpoint', 'lag', 'parked', 'run by'],
        items.map((row) => [row.name, version(row), row.state, row.checkpoint, row.lag, row.parked, row.runBy]),
      ),
      ...items.filter((row) => row.lastError).map((row) => `${row.name} is failing: ${truncate(row.lastError ?? '', 200)}`),
    ]);
  }

  @Option({ flags: '--json', description: 'print the same data as JSON' })
  json(): boolean {
    return true;
  }
}

/** The code's version, and the stored one when a rebuild is due. */
function version(row: ProjectionOverview): string {
  return row.storedVersion === null || row.storedVersion === row.version ? String(row.version) : `${row.version} (built by ${row.storedVersion})`;
}
