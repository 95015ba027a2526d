import { ModuleRef } from '@nestjs/core';
import { IntegrationEvents, ParkedEvents, Projections, DocumentStore, type ParkedRetryOutcome } from '@strata/core';
import { projectionCheckpointName } from '@strata/core/adapter';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { CommandFailedError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { exactlyOne } from '../arguments';
import { knownProjections } from '../projection-names';

interface ParkedRetryOptions {
  readonly all?: boolean;
  readonly projection?: string;
}

/**
 * `parked retry <id...> | --all [--projection <name>]`: applies each parked event through its
 * projection's handler under the projection's lease (the running app pauses it for that
 * moment) and removes the record when it succeeds.
 */
@SubCommand({
  name: 'retry',
  arguments: '[ids...]',
  argsDescription: { ids: "parked event ids, as 'parked list' shows them" },
  description: "Apply parked events through their projection's handler again; a success removes the record",
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
    const targets = options.all ? await this.allIds(options.projection) : ids;
    if (targets.length === 0) {
      this.output.line('no parked events');
      return;
    }
    const actions = this.projections.parkedEvents();
    const failed: ParkedRetryOutcome[] = [];
    for (const id of targets) {
      const outcome = this.inboxes()?.ownsParked(id) ? await this.retryMessage(id) : await actions.retry(id);
      this.output.line(outcome.applied ? `applied ${id}` : `still failing ${id}: ${outcome.error}`);
      if (!outcome.applied) failed.push(outcome);
    }
    if (failed.length > 0) {
      throw new CommandFailedError(`${failed.length} of ${targets.length} parked events failed again and stay parked.`);
    }
  }

  /** The app's integration events, when it has an inbox: its parked messages retry through it. */
  private inboxes(): IntegrationEvents | null {
    try {
      return this.moduleRef.get(IntegrationEvents, { strict: false });
    } catch {
      return null;
    }
  }

  /** A parked message and those of its key held behind it, in order; reported as one outcome. */
  private async retryMessage(id: string): Promise<ParkedRetryOutcome> {
    const outcome = await (this.inboxes() as IntegrationEvents).retryParked(id);
    for (const applied of outcome.applied) if (applied !== id) this.output.line(`applied ${applied} (held behind ${id})`);
    if (outcome.failed === null) return { id, applied: true };
    return { id, applied: false, error: outcome.failed.id === id ? outcome.failed.error : `${outcome.failed.id} behind it: ${outcome.failed.error}` };
  }

  @Option({ flags: '--all', description: 'retry every parked projection event' })
  all(): boolean {
    return true;
  }

  @Option({ flags: '--projection <name>', description: "with --all: only this projection's" })
  projection(name: string): string {
    return name;
  }

  private async allIds(projection: string | undefined): Promise<string[]> {
    const names = projection === undefined ? this.projections.names : knownProjections(this.projections, [projection]);
    const parked = await new ParkedEvents(this.documents).list(undefined, Number.MAX_SAFE_INTEGER);
    const subscriptions = new Set(names.map((name) => projectionCheckpointName(name, this.projections.runner(name).options.version)));
    return parked.filter((event) => subscriptions.has(event.subscription)).map((event) => event._id);
  }
}
