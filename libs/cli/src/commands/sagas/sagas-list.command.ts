import { Sagas, type SagaSummary } from '@strata/core/adapter';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { CliOutput } from '../../cli-output';
import { formatTable } from '../../format/table';

interface SagasListOptions {
  readonly json?: boolean;
}

/** `sagas list`: each registered saga with its instances by state, subscription lag and parked events. */
@SubCommand({ name: 'list', description: 'List sagas: instances by state, lag and parked events' })
export class SagasListCommand extends CommandRunner {
  constructor(
    private readonly output: CliOutput,
    private readonly sagas: Sagas,
  ) {
    super();
  }

  async run(_arguments: string[], options: SagasListOptions): Promise<void> {
    const summaries = await this.sagas.list();
    this.output.listing(summaries.map(toRow), options.json, 'no sagas', (rows) =>
      formatTable(
        ['saga', 'version', 'active', 'done', 'checkpoint', 'lag', 'parked'],
        rows.map((row) => [row.saga, row.version, row.active, row.done, row.checkpoint ?? '-', row.lag ?? '?', row.parked]),
      ),
    );
  }

  @Option({ flags: '--json', description: 'print the sagas as JSON' })
  json(): boolean {
    return true;
  }
}

function toRow(summary: SagaSummary) {
  const { subscription } = summary;
  return {
    saga: summary.name,
    version: summary.version,
    active: summary.active,
    done: summary.done,
    checkpoint: subscription.checkpoint,
    lag: subscription.lag,
    parked: subscription.parked,
  };
}
