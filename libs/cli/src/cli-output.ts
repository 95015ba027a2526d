import { Injectable } from '@nestjs/common';

/** Where a command writes: results to stdout, progress and errors to stderr. Tests swap it. */
@Injectable()
export class CliOutput {
  /** Whether stderr is a terminal, where progress may redraw one line. */
  get interactive(): boolean {
    return process.stderr.isTTY === true;
  }

  /** Terminal width for progress bars; 80 when unknown. */
  get columns(): number {
    return process.stderr.columns || 80;
  }

  /** One result line on stdout. */
  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  /** Prints `items` as indented JSON, or as the lines `table` makes, or `empty` when there are none. */
  listing<T>(items: readonly T[], json: boolean | undefined, empty: string, table: (items: readonly T[]) => readonly string[]): void {
    if (json) this.line(JSON.stringify(items, null, 2));
    else if (items.length === 0) this.line(empty);
    else for (const line of table(items)) this.line(line);
  }

  /** Raw text on stderr, for progress. */
  progress(text: string): void {
    process.stderr.write(text);
  }
}
