// Figure 5: how long loading an aggregate takes as its stream grows, without snapshots and with
// them. Loads go through AggregateHandle.load, the path every command takes before deciding,
// on a SQLite file at synchronous=NORMAL. Each stream is seeded through the event store and
// then handled one more deposit command, as the bank would: with snapshots on, that command
// takes the snapshot (the stream has no snapshot and at least 100 events), off the command's path.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateHandle, Snapshots, type EventToAppend } from '@strata/core';
import { SqliteEventStore, SqliteSnapshotStore } from '@strata/sqlite';
import { accountDecider, type AccountCommand, type AccountState } from '../../apps/bank/src/accounts/account.decider';
import type { AccountEvent } from '../../apps/bank/src/accounts/events/account.events';
import { ceilingRow, infoRow, type BenchRow, type Figure, type FigureContext } from '../harness';

type AccountHandle = AggregateHandle<AccountCommand, AccountEvent, AccountState>;

const LENGTHS = [10, 1_000, 100_000] as const;
/** Events per seeding append. */
const SEED_BATCH = 1_000;
/** The worst case with snapshots: just short of the next one. */
const TAIL = (accountDecider.snapshot?.every ?? 100) - 1;

const label = (events: number): string => events.toLocaleString('en-US');
const accountIdOf = (events: number): string => `00000000-0000-4000-8000-${String(events).padStart(12, '0')}`;

/** Loads to time: full reads of long streams cost up to a second each, loads from a snapshot well under a millisecond. */
function repetitions(events: number, snapshots: boolean, quick: boolean): number {
  if (snapshots || events < 1_000) return quick ? 201 : 1001;
  if (events < 100_000) return quick ? 21 : 101;
  return quick ? 3 : 9;
}

/** Appends `count` deposits to an account's stream (opening it first when it is new), fast: synchronous OFF, 1,000 a call. */
async function seed(filename: string, accountId: string, count: number, open: boolean): Promise<void> {
  const store = SqliteEventStore.open({ filename, synchronous: 'OFF' });
  try {
    for (let from = 0; from < count; from += SEED_BATCH) {
      const events: EventToAppend[] = [];
      for (let n = from; n < Math.min(count, from + SEED_BATCH); n++) {
        const metadata = { commandId: randomUUID(), correlationId: randomUUID() };
        events.push(
          n === 0 && open
            ? { type: 'AccountOpened', data: { accountId, owner: 'bench' }, metadata }
            : { type: 'MoneyDeposited', data: { accountId, amount: 1 + (n % 100) }, metadata },
        );
      }
      await store.appendToStream(`Account-${accountId}`, events);
    }
  } finally {
    await store.close();
  }
}

/** The median time of `handle.load`, in ms, after a warm-up and a garbage collection (when `--expose-gc` allows one). */
async function medianLoadMs(handle: AccountHandle, accountId: string, times: number): Promise<number> {
  for (let n = 0; n < Math.min(50, Math.ceil(times / 2)); n++) await handle.load(accountId);
  (globalThis as { gc?: () => void }).gc?.();
  const samples: number[] = [];
  for (let n = 0; n < times; n++) {
    const started = performance.now();
    await handle.load(accountId);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

async function run(context: FigureContext): Promise<BenchRow[]> {
  const filename = join(context.workDir, 'aggregate-load.db');
  const store = SqliteEventStore.open({ filename, synchronous: 'NORMAL' });
  const snapshotStore = SqliteSnapshotStore.open({ filename, synchronous: 'NORMAL' });
  const snapshots = new Snapshots(snapshotStore);
  const plain: AccountHandle = new AggregateHandle(store, { ...accountDecider, snapshot: undefined });
  const snapshotted: AccountHandle = new AggregateHandle(store, accountDecider, undefined, snapshots);
  try {
    for (const events of LENGTHS) {
      await seed(filename, accountIdOf(events), events - 1, true);
      const accountId = accountIdOf(events);
      await snapshotted.handle(accountId, { type: 'DepositMoney', accountId, amount: 1 });
      await snapshots.drain();
      context.log(`seeded ${label(events)} events; snapshot at revision ${String((await snapshotStore.load(`Account-${accountId}`))?.revision ?? 'none')}`);
    }
    const without = new Map<number, number>();
    const withSnapshots = new Map<number, number>();
    for (const events of LENGTHS) {
      // The cheap loads first, so the long full reads leave no garbage behind for them.
      withSnapshots.set(events, await medianLoadMs(snapshotted, accountIdOf(events), repetitions(events, true, context.quick)));
      without.set(events, await medianLoadMs(plain, accountIdOf(events), repetitions(events, false, context.quick)));
      context.log(`${label(events)} events: ${without.get(events)?.toFixed(3)} ms without snapshots, ${withSnapshots.get(events)?.toFixed(3)} ms with (medians)`);
    }
    const [shortest, , longest] = LENGTHS;
    await seed(filename, accountIdOf(longest), TAIL, false);
    const withTail = await medianLoadMs(snapshotted, accountIdOf(longest), repetitions(longest, true, context.quick));
    const ratio = (withSnapshots.get(longest) as number) / (withSnapshots.get(shortest) as number);
    return [
      ...LENGTHS.map((events) => infoRow(`5 aggregate load, ${label(events)} events, no snapshots`, without.get(events) as number, 'ms')),
      ...LENGTHS.map((events) => infoRow(`5 aggregate load, ${label(events)} events, snapshots`, withSnapshots.get(events) as number, 'ms')),
      infoRow(`5 aggregate load, ${label(longest)} events, ${TAIL} after the snapshot`, withTail, 'ms'),
      ceilingRow('5 aggregate load with snapshots, 100k / 10 events', ratio, 'x', 2, null),
    ];
  } finally {
    await snapshots.close();
    await snapshotStore.close();
    await store.close();
  }
}

export const figure: Figure = {
  id: 'aggregate-load',
  title: 'aggregate load time by stream length, without and with snapshots',
  run,
};

// `node -r ts-node/register bench/figures/aggregate-load.ts [--quick]` runs this figure alone.
if (require.main === module) {
  const workDir = mkdtempSync(join(tmpdir(), 'strata-bench-aggregate-load-'));
  run({ quick: process.argv.includes('--quick'), workDir, log: (line) => process.stderr.write(`  ${line}\n`) })
    .then(
      (rows) => console.table(rows.map(({ name, value, unit, target, met }) => ({ figure: name, value: `${value} ${unit}`, target, met: met ?? '' }))),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    )
    .finally(() => rmSync(workDir, { recursive: true, force: true }));
}
