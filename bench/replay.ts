// Replay throughput on the embedded store: node -r ts-node/register bench/replay.ts [events] [file]
// The measurements of figures 4 and 8 (bench/figures/replay.ts), on a log of `events` bank events
// (1,000,000 by default). Pass `file` to keep the seeded SQLite file and reuse it on the next
// run, e.g. under `node --cpu-prof`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsPerSecond, rawRate, replayAll, seeded } from './figures/replay';

const total = Number(process.argv[2] ?? 1_000_000);
const kept = process.argv[3];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-replay-'));
  try {
    const filename = kept ?? join(dir, 'strata.db');
    await seeded(filename, total, console.log);
    const raw = rawRate(filename, console.log);
    const { runs } = await replayAll(filename, console.log, raw);
    const events = runs.reduce((sum, run) => sum + run.events, 0);
    const ms = runs.reduce((sum, run) => sum + run.ms, 0);
    console.log(`replay --all (both in turn): ${Math.round(eventsPerSecond(events, ms))} events/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
