import type { DestinationStream } from 'pino';

/** A pino destination that keeps every log line, parsed, for tests that assert on logs. */
export class LogLines implements DestinationStream {
  readonly lines: { msg?: string; context?: string; level?: number }[] = [];

  write(line: string): void {
    this.lines.push(JSON.parse(line) as { msg?: string });
  }

  /** The messages containing `text`. */
  matching(text: string): string[] {
    return this.lines.map((line) => line.msg ?? '').filter((msg) => msg.includes(text));
  }
}
