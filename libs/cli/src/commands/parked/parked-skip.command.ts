import { ModuleRef } from '@nestjs/core';
import { Projections } from '@strata/core';
import { CommandRunner, SubCommand } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { ParkedRoutes, printSequence } from './parked-routes';

/**
 * `parked skip <id>`: gives up on a parked event for good (the subscription is already past
 * it); when it headed a sequence, the events it held are applied in order.
 */
@SubCommand({
  name: 'skip',
  arguments: '<id>',
  argsDescription: { id: "a parked event id, as 'parked list' shows it" },
  description: 'Remove a parked event without applying it; the events held behind it are then applied in order',
})
export class ParkedSkipCommand extends CommandRunner {
  constructor(
    private readonly projections: Projections,
    private readonly output: CliOutput,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  async run([id, ...rest]: string[]): Promise<void> {
    if (id === undefined || rest.length > 0) throw new UsageError('parked skip: name exactly one parked event id.');
    const { skipped, released, stillParked } = await new ParkedRoutes(this.projections, this.moduleRef).skip(id);
    this.output.line(`skipped ${id}: ${skipped.eventType} in ${skipped.streamId} stays unapplied`);
    // A released event that fails again heads the sequence now; the skip itself is done, so this is no failure.
    if (released) printSequence(this.output, released, 'released behind');
    if (stillParked > 0) this.output.line(`${stillParked} event(s) held behind it stay parked: no subscription of this app applies them`);
  }
}
