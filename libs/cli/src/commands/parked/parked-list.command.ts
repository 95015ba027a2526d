import { DocumentStore, ParkedEvents, Projections } from '@strata/core';
import { projectionCheckpointName } from '@strata/core/adapter';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { CliOutput } from '../../cli-output';
import { formatTable, truncate } from '../../format/table';
import { wholeNumber } from '../arguments';
import { knownProjections } from '../projection-names';

interface ParkedListOptions {
  readonly projection?: string;
  readonly limit?: number;
  readonly json?: boolean;
}

/**
 * `parked list [--projection <name>]`: the events subscriptions gave up on, as sequences (one
 * per stream or partition key), each oldest first: a failed head, then the events held behind it.
 */
@SubCommand({ name: 'list', description: 'List parked events (events a projection, saga or inbox gave up on) as sequences, oldest first' })
export class ParkedListCommand extends CommandRunner {
  constructor(
    private readonly projections: Projections,
    private readonly documents: DocumentStore,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_arguments: string[], options: ParkedListOptions): Promise<void> {
    const name = options.projection === undefined ? undefined : (knownProjections(this.projections, [options.projection])[0] as string);
    // The parked events of the version in this code.
    const subscription = name === undefined ? undefined : projectionCheckpointName(name, this.projections.runner(name).options.version);
    const sequences = await new ParkedEvents(this.documents).sequences(subscription, options.limit ?? 100);
    this.output.listing(sequences, options.json, 'no parked events', (items) =>
      formatTable(
        ['partition', '#', 'id', 'event', 'stream', 'state', 'attempts', 'parked at', 'error'],
        items.flatMap((sequence) =>
          sequence.events.map((event, at) => [
            sequence.partition,
            at + 1,
            event._id,
            event.eventType,
            event.streamId,
            event.held === true ? 'held' : 'failed',
            event.attempts,
            event.parkedAt,
            truncate(event.error, 60),
          ]),
        ),
      ),
    );
  }

  @Option({ flags: '--projection <name>', description: "only this projection's parked events" })
  projection(name: string): string {
    return name;
  }

  @Option({ flags: '--limit <n>', description: 'at most this many events (default 100)' })
  limit(text: string): number {
    return wholeNumber('--limit', text, 1, 100_000);
  }

  @Option({ flags: '--json', description: 'print the sequences as JSON: [{ subscription, partition, events }]' })
  json(): boolean {
    return true;
  }
}
