import { ModuleRef } from '@nestjs/core';
import { ParkedEvents, Projections, DocumentStore } from '@strata/core';
import { projectionCheckpointName } from '@strata/core/adapter';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { CommandFailedError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { exactlyOne } from '../arguments';
import { knownProjections } from '../projection-names';
import { ParkedRoutes, printSequence } from './parked-routes';

interface ParkedRetryOptions {
  readonly all?: boolean;
  readonly projection?: string;
}

/**
 * `parked retry <id...> | --all [--projection <name>]`: applies each named event's sequence
 * (the parked events of its stream or partition) through the handler, oldest first, under the
 * subscription's lease (the running app pauses it for that moment), removing each record that
 * applies. The first that fails again stays parked, with those behind it.
 */
@SubCommand({
  name: 'retry',
  arguments: '[ids...]',
  argsDescription: { ids: "parked event ids, as 'parked list' shows them; each retries its whole sequence" },
  description: "Apply parked events through their handler again, each with the sequence held behind it, in order; a success removes the record",
})
export class ParkedRetryCommand extends CommandRunner {
  constructor(
    private readonly projections: Projections,
    private readonly documents: DocumentStore,
    private readonly output: CliOutput,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  async run(ids: string[], options: ParkedRetryOptions): Promise<void> {
    exactlyOne('parked retry', ids, options.all === true, 'the parked events to retry');
    const targets = options.all ? await this.allHeads(options.projection) : [...new Set(ids)];
    if (targets.length === 0) {
      this.output.line('no parked events');
      return;
    }
    const routes = new ParkedRoutes(this.projections, this.moduleRef);
    const done = new Set<string>();
    let failed = 0;
    for (const id of targets) {
      // An id named after another of its sequence was applied (or left failing) with it.
      if (done.has(id)) continue;
      const outcome = await routes.retry(id);
      printSequence(this.output, outcome, 'in the sequence of');
      for (const applied of outcome.applied) done.add(applied);
      if (outcome.failed !== null) {
        done.add(outcome.failed.id);
        failed += 1;
      }
    }
    if (failed > 0) {
      throw new CommandFailedError(`${failed} of ${targets.length} parked events failed again and stay parked.`);
    }
  }

  @Option({ flags: '--all', description: 'retry every parked projection sequence' })
  all(): boolean {
    return true;
  }

  @Option({ flags: '--projection <name>', description: "with --all: only this projection's" })
  projection(name: string): string {
    return name;
  }

  /** The head of every parked sequence of the projections named (all of them by default). */
  private async allHeads(projection: string | undefined): Promise<string[]> {
    const names = projection === undefined ? this.projections.names : knownProjections(this.projections, [projection]);
    const subscriptions = new Set(names.map((name) => projectionCheckpointName(name, this.projections.runner(name).options.version)));
    const sequences = await new ParkedEvents(this.documents).sequences(undefined, Number.MAX_SAFE_INTEGER);
    return sequences.filter((sequence) => subscriptions.has(sequence.subscription)).flatMap(({ events: [head] }) => (head ? [head._id] : []));
  }
}
