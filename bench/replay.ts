// Replay throughput on the embedded store: node -r ts-node/register bench/replay.ts [events] [file]
// Seeds a fresh SQLite file with bank events (or reuses `file` when it exists, for profiling), then times (1) a raw better-sqlite3 read of the
// same rows with JSON.parse, the floor any replay sits on, and (2) replays of each bank
// projection into shadow collections and the swap, reporting events/s and resident memory.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newLeaseOwner, ProjectionReplay, requireProjectionOptions, resolveProjectionSettings, type ProjectionClass, type ProjectionHandler } from '@strata/core';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { AccountTransactionsProjection } from '../apps/bank/src/accounts/projections/account-transactions.projection';
import { AccountsProjection } from '../apps/bank/src/accounts/projections/accounts.projection';
import { seedBankLog } from './bank-log';

const total = Number(process.argv[2] ?? 1_000_000);
const kept = process.argv[3];
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const rate = (events: number, ms: number) => Math.round((events * 1000) / ms);

function rawRead(filename: string): { events: number; ms: number } {
  const db = new Database(filename, { readonly: true });
  const started = performance.now();
  let events = 0;
  const rows = db.prepare('SELECT position, stream_id, revision, event_id, type, data, metadata, created_at FROM strata_events ORDER BY position');
  for (const row of rows.iterate() as IterableIterator<{ data: string; metadata: string }>) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    events += 1;
  }
  const ms = performance.now() - started;
  db.close();
  return { events, ms };
}

async function replay(filename: string, Projection: ProjectionClass): Promise<{ events: number; ms: number; cpuMs: number; peakRss: number }> {
  const events = SqliteEventStore.open({ filename });
  const documents = SqliteDocumentStore.open({ filename, synchronous: 'NORMAL' });
  const settings = resolveProjectionSettings(process.env);
  let peakRss = process.memoryUsage().rss;
  const handler = new (Projection as unknown as new () => ProjectionHandler<never>)();
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const replayer = new ProjectionReplay({ handler, options: requireProjectionOptions(Projection) }, events, documents, settings, newLeaseOwner(), {
    logger: silent,
    onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await replayer.run();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  await Promise.all([events.close(), documents.close()]);
  return { events: result.events, ms, cpuMs: (user + system) / 1000, peakRss };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-replay-'));
  const filename = kept ?? join(dir, 'strata.db');
  try {
    let started = performance.now();
    if (!existsSync(filename)) {
      await seedBankLog(filename, total);
      console.log(`seeded ${total} bank events in ${Math.round(performance.now() - started)} ms`);
    }
    const raw = rawRead(filename);
    const rawRate = rate(raw.events, raw.ms);
    console.log(`raw read + JSON.parse:        ${rawRate} events/s (${raw.events} rows in ${Math.round(raw.ms)} ms)`);
    started = performance.now();
    let all = 0;
    for (const Projection of [AccountsProjection, AccountTransactionsProjection]) {
      const name = requireProjectionOptions(Projection).name;
      const run = await replay(filename, Projection);
      all += run.events;
      const rssNow = process.memoryUsage().rss;
      console.log(
        `replay ${name.padEnd(21)} ${rate(run.events, run.ms)} events/s (${run.events} in ${Math.round(run.ms)} ms, ` +
          `${Math.round(run.cpuMs)} ms CPU), ${(rate(run.events, run.ms) / rawRate).toFixed(2)}x raw; peak RSS ${mb(run.peakRss)}, after ${mb(rssNow)}`,
      );
    }
    console.log(`replay --all (both in turn): ${rate(all, performance.now() - started)} events/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
