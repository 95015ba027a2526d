import type { ReplayProgress } from '@strata/core/adapter';
import type { CliOutput } from '../cli-output';
import { formatDuration } from './duration';
import { formatCount } from './table';

/** A terminal bar is redrawn at most this often. */
const REDRAW_MS = 100;

/**
 * Shows a replay's progress on stderr: a bar redrawn in place on a terminal, else a plain
 * line every `intervalMs`, so logs collected from a pipe stay readable.
 */
export class ProgressReporter {
  private shownAt = 0;
  private drawn = false;

  constructor(
    private readonly output: CliOutput,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `intro` is the line printed first when stderr is not a terminal. */
  start(projection: string, intro = `${projection}: rebuilding from the start of the log in shadow collections`): void {
    this.shownAt = this.now();
    if (!this.output.interactive) this.output.progress(`${intro}\n`);
  }

  update(progress: ReplayProgress): void {
    const interactive = this.output.interactive;
    if (progress.phase === 'swapped' || this.now() - this.shownAt < (interactive ? REDRAW_MS : this.intervalMs)) return;
    this.shownAt = this.now();
    if (interactive) {
      this.output.progress(`\r${this.bar(progress)}\x1b[K`);
      this.drawn = true;
    } else {
      this.output.progress(`${progress.projection}: ${describe(progress)}\n`);
    }
  }

  /** Clears the bar, so the summary line starts on a clean line. */
  finish(): void {
    if (this.drawn) this.output.progress('\r\x1b[K');
    this.drawn = false;
  }

  private bar(progress: ReplayProgress): string {
    const text = `${progress.projection}  ${describe(progress)}`;
    const width = Math.max(10, Math.min(40, this.output.columns - text.length - 6));
    const filled = Math.round(width * fraction(progress));
    return `${progress.projection}  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]  ${describe(progress)}`.slice(0, this.output.columns - 1);
  }
}

function fraction(progress: ReplayProgress): number {
  return progress.total ? Math.min(1, progress.done / progress.total) : 0;
}

/** `42%  420,000/1,000,000 events  85,000 events/s  ETA 7.0 s`, with the phase while catching up. */
function describe(progress: ReplayProgress): string {
  const parts = [
    progress.total === null ? `${formatCount(progress.done)} events` : `${Math.floor(fraction(progress) * 100)}%  ${formatCount(progress.done)}/${formatCount(progress.total)} events`,
    `${formatCount(progress.eventsPerSecond)} events/s`,
    progress.etaSeconds === null ? 'ETA -' : `ETA ${formatDuration(progress.etaSeconds * 1000)}`,
  ];
  if (progress.phase === 'catching-up') parts.push('(catching up, projection paused)');
  return parts.join('  ');
}
