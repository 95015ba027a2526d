// Figures 4 and 8: replay throughput and memory on the embedded store, and how long a replay
// keeps the event loop. A SQLite file is seeded with bank events (bench/bank-log.ts); the
// floor is a raw better-sqlite3 read of the same rows with JSON.parse of data and metadata.
// Each bank projection is then replayed with ProjectionReplay into shadow collections and
// swapped in, exactly as `npm run cli -- projections replay` does (documents at
// synchronous=NORMAL, as the other figures use).
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { type ProjectionClass, type ProjectionHandler } from '@strata/core';
import { ProjectionReplay, newLeaseOwner, requireProjectionOptions, resolveProjectionSettings } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { AccountTransactionsProjection } from '../../apps/bank/src/accounts/projections/account-transactions.projection';
import { AccountsProjection } from '../../apps/bank/src/accounts/projections/accounts.projection';
import { seedBankLog } from '../bank-log';
import { ceilingRow, floorRow, infoRow, type BenchRow, type Figure, type FigureContext } from '../harness';

const EVENTS = 1_000_000;
const QUICK_EVENTS = 200_000;
/** Replay at least this fast, in events per second of wall clock. */
const MIN_EVENTS_PER_SECOND = 100_000;
/** Resident memory a replay may add to the process, at its peak. */
const MAX_RSS_GROWTH_MB = 150;
/** The 99th percentile of event-loop delay while replays run. */
const MAX_LOOP_DELAY_P99_MS = 20;
/** The event-loop histogram's sampling interval. */
const LOOP_RESOLUTION_MS = 10;

export const REPLAYED: readonly ProjectionClass[] = [AccountsProjection, AccountTransactionsProjection];

const MB = 1024 * 1024;

/** What one replay took. */
export interface ReplayRun {
  readonly projection: string;
  readonly events: number;
  readonly ms: number;
  readonly cpuMs: number;
  /** The resident set size just before the replay, and at its peak during it (bytes). */
  readonly rssBefore: number;
  readonly rssPeak: number;
}

/** Reads every event row with raw better-sqlite3 and parses its data and metadata: the floor under any replay. */
export function rawRead(filename: string): { events: number; ms: number } {
  const db = new Database(filename, { readonly: true });
  try {
    const rows = db.prepare('SELECT position, stream_id, revision, event_id, type, data, metadata, created_at FROM strata_events ORDER BY position');
    const started = performance.now();
    let events = 0;
    for (const row of rows.iterate() as IterableIterator<{ data: string; metadata: string }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      events += 1;
    }
    return { events, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

/**
 * Tracks the resident set size's peak. On Linux the kernel's high-water mark catches peaks
 * between samples too (one long SQLite statement, such as an index build, is one such stretch).
 */
class PeakRss {
  private peak: number;
  private readonly timer: NodeJS.Timeout;
  private readonly kernel: boolean;

  constructor() {
    this.kernel = resetHighWaterMark();
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => this.sample(), 20);
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** Stops sampling (again is harmless) and returns the peak. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    if (this.kernel) this.peak = Math.max(this.peak, highWaterMark() ?? 0);
    return this.peak;
  }
}

/** Resets the kernel's peak-RSS mark to the current RSS (Linux); false where that is not offered. */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return highWaterMark() !== null;
  } catch {
    return false;
  }
}

function highWaterMark(): number | null {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** Replays one projection into shadow collections and swaps it in, on fresh connections, as the CLI does. */
export async function replay(filename: string, Projection: ProjectionClass): Promise<ReplayRun> {
  const events = SqliteEventStore.open({ filename });
  const documents = SqliteDocumentStore.open({ filename, synchronous: 'NORMAL' });
  try {
    const options = requireProjectionOptions(Projection);
    const handler = new (Projection as unknown as new () => ProjectionHandler<never>)();
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage.rss();
    const peak = new PeakRss();
    const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const replayer = new ProjectionReplay({ handler, options }, events, documents, resolveProjectionSettings(process.env), newLeaseOwner(), {
      logger: silent,
      onProgress: () => peak.sample(),
    });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await replayer.run().finally(() => peak.stop());
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    return { projection: options.name, events: result.events, ms, cpuMs: (user + system) / 1000, rssBefore, rssPeak: peak.stop() };
  } finally {
    await Promise.all([events.close(), documents.close()]);
  }
}

export const eventsPerSecond = (events: number, ms: number): number => (events * 1000) / ms;

/** Seeds `filename` with `total` bank events unless it exists (a kept file is reused). */
export async function seeded(filename: string, total: number, log: (line: string) => void): Promise<void> {
  if (existsSync(filename)) return;
  const started = performance.now();
  await seedBankLog(filename, total);
  log(`seeded ${total} bank events in ${Math.round(performance.now() - started)} ms`);
}

/** The raw read's rate: the better of two reads, as the floor should not carry a cold page cache. */
export function rawRate(filename: string, log: (line: string) => void): number {
  const reads = [rawRead(filename), rawRead(filename)];
  const rate = Math.max(...reads.map((read) => eventsPerSecond(read.events, read.ms)));
  log(`raw read + JSON.parse: ${Math.round(rate)} events/s (${reads[0]?.events ?? 0} rows)`);
  return rate;
}

/** Replays each bank projection in turn, with the event loop's delay recorded throughout. */
export async function replayAll(filename: string, log: (line: string) => void, raw: number): Promise<{ runs: ReplayRun[]; loop: IntervalHistogram }> {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const runs: ReplayRun[] = [];
  for (const Projection of REPLAYED) {
    loop.enable();
    const run = await replay(filename, Projection).finally(async () => {
      // A stretch that blocked the loop is recorded when the histogram's timer next runs: let it.
      await new Promise((resolve) => setTimeout(resolve, 3 * LOOP_RESOLUTION_MS));
      loop.disable();
    });
    runs.push(run);
    const rate = eventsPerSecond(run.events, run.ms);
    log(
      `replay ${run.projection.padEnd(21)} ${Math.round(rate)} events/s (${run.events} in ${Math.round(run.ms)} ms, ${Math.round(run.cpuMs)} ms CPU), ` +
        `${(rate / raw).toFixed(2)}x raw; RSS ${Math.round(run.rssBefore / MB)} MB before, peak +${Math.round((run.rssPeak - run.rssBefore) / MB)} MB`,
    );
  }
  log(`event-loop delay during the replays: p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms`);
  return { runs, loop };
}

const ms = (nanoseconds: number): string => (nanoseconds / 1e6).toFixed(1);

async function run(context: FigureContext): Promise<BenchRow[]> {
  const filename = join(context.workDir, 'replay.db');
  await seeded(filename, context.quick ? QUICK_EVENTS : EVENTS, (line) => context.log(line));
  const raw = rawRate(filename, (line) => context.log(line));
  const { runs, loop } = await replayAll(filename, (line) => context.log(line), raw);
  return [
    infoRow('4 replay baseline: raw read + JSON.parse', raw, 'events/s'),
    ...runs.map((replayed) => floorRow(`4 replay ${replayed.projection} events/s`, eventsPerSecond(replayed.events, replayed.ms), 'events/s', MIN_EVENTS_PER_SECOND, raw)),
    ...runs.map((replayed) => ceilingRow(`4 replay ${replayed.projection} RSS growth`, (replayed.rssPeak - replayed.rssBefore) / MB, 'MB', MAX_RSS_GROWTH_MB)),
    ceilingRow('8 event-loop delay p99 during replay', loop.percentile(99) / 1e6, 'ms', MAX_LOOP_DELAY_P99_MS),
    infoRow('8 event-loop delay max during replay', loop.max / 1e6, 'ms'),
  ];
}

export const figure: Figure = {
  id: 'replay',
  title: 'projection replay: events/s against a raw read, peak memory, event-loop delay',
  run,
};

// `node -r ts-node/register bench/figures/replay.ts [--quick]` runs this figure alone.
if (require.main === module) {
  const workDir = mkdtempSync(join(tmpdir(), 'strata-bench-replay-'));
  run({ quick: process.argv.includes('--quick'), workDir, log: (line) => process.stderr.write(`  ${line}\n`) })
    .then(
      (rows) => console.table(rows.map(({ name, value, unit, baseline, ratio, target, met }) => ({ figure: name, value: `${value} ${unit}`, baseline: baseline ?? '', ratio: ratio ?? '', target, met: met ?? '' }))),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    )
    .finally(() => rmSync(workDir, { recursive: true, force: true }));
}
