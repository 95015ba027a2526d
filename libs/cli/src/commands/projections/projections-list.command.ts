import { Projections, type ProjectionOverview } from '@strata/core';
import { Option, SubCommand, CommandRunner } from 'nest-commander';
import { CliOutput } from '../../cli-output';
import { formatTable, truncate } from '../../format/table';

interface ListOptions {
  readonly json?: boolean;
}

/** `projections list`: every version of every projection present: state, checkpoint, lag, parked count and the instances serving it. */
@SubCommand({ name: 'list', description: 'List every version of each projection: state, checkpoint, lag behind the head, parked events, instances serving it' })
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
        ['name', 'version', 'state', 'checkpoint', 'lag', 'parked', 'run by', 'served by'],
        items.map((row) => [row.name, version(row), row.state, row.checkpoint, row.lag, row.parked, row.runBy, servedBy(row)]),
      ),
      ...items.filter((row) => row.lastError).map((row) => `${row.name} v${row.version} is failing: ${truncate(row.lastError ?? '', 200)}`),
    ]);
  }

  @Option({ flags: '--json', description: 'print the same data as JSON' })
  json(): boolean {
    return true;
  }
}

/** The version, marked when it is the one in this code. */
function version(row: ProjectionOverview): string {
  return row.inCode ? `${row.version} (this code)` : String(row.version);
}

function servedBy(row: ProjectionOverview): string {
  return row.servedBy.length === 0 ? 'none' : `${row.servedBy.length}: ${row.servedBy.join(', ')}`;
}
