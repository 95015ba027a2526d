import type { ReplayProgress } from '@strata/core/adapter';
import type { CliOutput } from '../cli-output';
import { formatDuration } from './duration';
import { ProgressReporter } from './progress-reporter';
import { formatTable, truncate } from './table';

function output(interactive: boolean): CliOutput & { written: string[] } {
  const written: string[] = [];
  return { interactive, columns: 160, written, line: () => undefined, progress: (text: string) => void written.push(text) } as unknown as CliOutput & { written: string[] };
}

const progress = (done: number, phase: ReplayProgress['phase'] = 'building'): ReplayProgress => ({
  projection: 'accounts',
  phase,
  done,
  total: 1_000_000,
  eventsPerSecond: 85_000,
  etaSeconds: (1_000_000 - done) / 85_000,
  elapsedMs: 1_000,
});

describe('CLI formatting', () => {
  it('lays out tables with upper-case headers, right-aligned numbers and dashes for nothing', () => {
    expect(formatTable(['name', 'lag', 'run by'], [['accounts', 1234, null], ['account-transactions', 0, 'host:1:abcd']])).toEqual([
      'NAME                    LAG  RUN BY',
      'accounts              1,234  -',
      'account-transactions      0  host:1:abcd',
    ]);
  });

  it('cuts long text to one line', () => {
    expect(truncate('a\nlong   error message', 10)).toBe('a long er…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('writes durations as operators read them', () => {
    expect([850, 12_340, 245_000, 3_720_000].map(formatDuration)).toEqual(['850 ms', '12.3 s', '4m05s', '1h02m']);
  });

  it('prints a plain progress line at most every interval when not on a terminal', () => {
    let now = 0;
    const out = output(false);
    const reporter = new ProgressReporter(out, 5_000, () => now);
    reporter.start('accounts');
    reporter.update(progress(100_000));
    now = 5_000;
    reporter.update(progress(420_000));
    now = 6_000;
    reporter.update(progress(500_000));
    expect(out.written).toEqual([
      'accounts: rebuilding from the start of the log in shadow collections\n',
      'accounts: 42%  420,000/1,000,000 events  85,000 events/s  ETA 6.8 s\n',
    ]);
  });

  it('redraws one bar in place on a terminal, and clears it at the end', () => {
    let now = 0;
    const out = output(true);
    const reporter = new ProgressReporter(out, 5_000, () => now);
    reporter.start('accounts');
    now = 200;
    reporter.update(progress(500_000, 'catching-up'));
    reporter.finish();
    expect(out.written).toHaveLength(2);
    expect(out.written[0]).toMatch(/^\raccounts {2}\[#+\.+\] {2}50% {2}500,000\/1,000,000 events {2}85,000 events\/s {2}ETA 5\.9 s {2}\(catching up, projection paused\)/);
    expect(out.written[1]).toBe('\r\x1b[K');
  });
});
