import { Projections } from '@strata/core';
import { CommandRunner, SubCommand } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';

/** `parked skip <id>`: gives up on a parked event for good; the projection is already past it. */
@SubCommand({
  name: 'skip',
  arguments: '<id>',
  argsDescription: { id: "a parked event id, as 'parked list' shows it" },
  description: 'Remove a parked event without applying it',
})
export class ParkedSkipCommand extends CommandRunner {
  constructor(
    private readonly projections: Projections,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([id, ...rest]: string[]): Promise<void> {
    if (id === undefined || rest.length > 0) throw new UsageError('parked skip: name exactly one parked event id.');
    const skipped = await this.projections.parkedEvents().skip(id);
    this.output.line(`skipped ${id}: ${skipped.eventType} in ${skipped.streamId} stays unapplied`);
  }
}
