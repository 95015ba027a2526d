// Figure 9: what event checksums cost. The same SqliteEventStore with checksums on (written at
// append, verified on every read) against checksums off, in the same process, on files of the
// same shape, in alternating rounds so both meet the same disk and the same machine load.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EventToAppend, Position } from '@strata/core';
import { SqliteEventStore } from '@strata/sqlite';
import { infoRow, ratioRow, type BenchRow, type Figure, type FigureContext } from '../harness';
import type { Workload } from './appends';

const STREAMS = 100;
const ROUNDS = 5;

/** Appends `calls` bank-shaped deposits with their expected revisions; returns the milliseconds taken. */
async function appendRound(filename: string, checksums: boolean, workload: Workload, revisions: bigint[]): Promise<number> {
  const store = SqliteEventStore.open({ filename, synchronous: workload.synchronous, checksums });
  const started = performance.now();
  for (let call = 0; call < workload.calls; call++) {
    const stream = call % STREAMS;
    const accountId = `account-${stream}`;
    const metadata = { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() };
    const events: EventToAppend[] = [];
    for (let n = 0; n < workload.batch; n++) events.push({ type: 'MoneyDeposited', data: { accountId, amount: n + 1 }, metadata });
    const current = revisions[stream] as bigint;
    revisions[stream] = (await store.appendToStream(`Account-${accountId}`, events, { expectedRevision: current < 0n ? 'no_stream' : current })).nextRevision;
  }
  const ms = performance.now() - started;
  await store.close();
  return ms;
}

/** Reads the whole log through `readAll` in pages of 1,000, as a replay does; returns the milliseconds taken. */
async function readRound(filename: string, checksums: boolean): Promise<{ ms: number; events: number }> {
  const store = SqliteEventStore.open({ filename, synchronous: 'NORMAL', checksums });
  const started = performance.now();
  let events = 0;
  let from: Position | undefined;
  for (;;) {
    const page = await store.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: 1000 });
    events += page.events.length;
    if (page.nextPosition === null) break;
    from = page.nextPosition;
  }
  const ms = performance.now() - started;
  await store.close();
  return { ms, events };
}

async function appends(context: FigureContext, workload: Workload): Promise<BenchRow> {
  const files = { on: join(context.workDir, `on-${workload.synchronous}-${workload.batch}.db`), off: join(context.workDir, `off-${workload.synchronous}-${workload.batch}.db`) };
  const revisions = { on: Array.from({ length: STREAMS }, () => -1n), off: Array.from({ length: STREAMS }, () => -1n) };
  const warmUp = { ...workload, calls: Math.min(workload.calls, 300) };
  await appendRound(files.on, true, warmUp, revisions.on);
  await appendRound(files.off, false, warmUp, revisions.off);
  let on = 0;
  let off = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which side goes first evens out drift in the machine's load.
    if (round % 2 === 0) {
      on += await appendRound(files.on, true, workload, revisions.on);
      off += await appendRound(files.off, false, workload, revisions.off);
    } else {
      off += await appendRound(files.off, false, workload, revisions.off);
      on += await appendRound(files.on, true, workload, revisions.on);
    }
  }
  const events = ROUNDS * workload.calls * workload.batch;
  const withChecksums = (events * 1000) / on;
  const without = (events * 1000) / off;
  context.log(`appends ${workload.synchronous}, ${workload.batch} per call: with checksums ${Math.round(withChecksums)} events/s, without ${Math.round(without)} events/s`);
  return ratioRow(`9 events/s with checksums, ${workload.batch} per call, ${workload.synchronous}`, withChecksums, 'events/s', without, 0.95);
}

async function reads(context: FigureContext, events: number): Promise<BenchRow> {
  const filename = join(context.workDir, 'read.db');
  // Seeded with checksums; the store with them off reads the same rows without verifying.
  await appendRound(filename, true, { synchronous: 'OFF', batch: 100, calls: events / 100 }, Array.from({ length: STREAMS }, () => -1n));
  await readRound(filename, true);
  let on = 0;
  let off = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which side goes first evens out drift in the machine's load.
    const first = round % 2 === 0;
    if (first) on += (await readRound(filename, true)).ms;
    off += (await readRound(filename, false)).ms;
    if (!first) on += (await readRound(filename, true)).ms;
  }
  const withChecksums = (ROUNDS * events * 1000) / on;
  const without = (ROUNDS * events * 1000) / off;
  context.log(`readAll of ${events} events: verified ${Math.round(withChecksums)} events/s, unverified ${Math.round(without)} events/s`);
  return infoRow(`9 readAll events/s verifying checksums (replay's read path), ${events} events`, withChecksums, 'events/s', without);
}

export const figure: Figure = {
  id: 'checksums',
  title: 'event checksums on appends and on reads, against the same store without them',
  async run(context): Promise<BenchRow[]> {
    const scale = context.quick ? 0.25 : 1;
    return [
      await appends(context, { synchronous: 'FULL', batch: 1, calls: Math.round(1_000 * scale) }),
      await appends(context, { synchronous: 'NORMAL', batch: 1, calls: Math.round(20_000 * scale) }),
      await appends(context, { synchronous: 'NORMAL', batch: 100, calls: Math.round(1_000 * scale) }),
      await reads(context, Math.round(200_000 * scale)),
    ];
  },
};
