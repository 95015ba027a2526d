import { EventStore, type Position, type RecordedEvent } from '@strata/core';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { eventLine } from '../../format/event-line';
import { wholeNumber } from '../arguments';

interface TailOptions {
  readonly stream?: string;
  readonly from?: string;
  readonly limit?: number;
}

/**
 * `events tail [--stream <id>] [--from <position>] [--limit <n>]`: the newest events as JSON
 * lines, oldest first; with `--from`, the events from there on. With `--stream`, `--from` is a
 * stream revision.
 */
@SubCommand({ name: 'tail', description: 'Print the newest events as JSON lines, oldest first' })
export class EventsTailCommand extends CommandRunner {
  constructor(
    private readonly events: EventStore,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_arguments: string[], options: TailOptions): Promise<void> {
    const limit = options.limit ?? 20;
    const events = options.stream === undefined ? await this.fromLog(options.from, limit) : await this.fromStream(options.stream, options.from, limit);
    for (const event of events) this.output.line(eventLine(event));
  }

  @Option({ flags: '--stream <id>', description: 'only this stream' })
  stream(id: string): string {
    return id;
  }

  @Option({ flags: '--from <position>', description: 'start here (inclusive) and read forwards: a log position, or a revision with --stream' })
  from(text: string): string {
    return text;
  }

  @Option({ flags: '--limit <n>', description: 'at most this many events (default 20)' })
  limit(text: string): number {
    return wholeNumber('--limit', text, 1, 10_000);
  }

  private async fromLog(from: string | undefined, limit: number): Promise<readonly RecordedEvent[]> {
    if (from === undefined) return [...(await this.events.readAll({ direction: 'backwards', maxCount: limit })).events].reverse();
    let fromPosition: Position;
    try {
      fromPosition = this.events.parsePosition(from);
    } catch {
      throw new UsageError(`--from takes a log position as 'events tail' prints them (such as 000000000000002a), not '${from}'.`);
    }
    return (await this.events.readAll({ fromPosition, maxCount: limit })).events;
  }

  private async fromStream(stream: string, from: string | undefined, limit: number): Promise<RecordedEvent[]> {
    const read = from === undefined ? { direction: 'backwards' as const, maxCount: limit } : { fromRevision: revision(from), maxCount: limit };
    const events: RecordedEvent[] = [];
    for await (const event of this.events.readStream(stream, read)) events.push(event);
    return from === undefined ? events.reverse() : events;
  }
}

function revision(text: string): bigint {
  if (!/^\d{1,18}$/.test(text)) throw new UsageError(`--from with --stream takes a stream revision (0, 1, 2, ...), not '${text}'.`);
  return BigInt(text);
}
