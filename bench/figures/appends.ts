// Figures 1 and 2: appends through EventStore.appendToStream against raw better-sqlite3 doing the
// same work (same file layout and pragmas, same revision check, same JSON serialisation, one
// IMMEDIATE transaction per append). Rounds alternate strata and raw so both see the same disk.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type EventToAppend } from '@strata/core';
import { WrongExpectedRevisionError } from '@strata/core/adapter';
import { SqliteEventStore, type SqliteSynchronous } from '@strata/sqlite';
import { ratioRow, type BenchRow, type Figure, type FigureContext } from '../harness';

const STREAMS = 100;
const ROUNDS = 3;

export interface Workload {
  readonly synchronous: SqliteSynchronous;
  /** Events per append call. */
  readonly batch: number;
  /** Append calls per round. */
  readonly calls: number;
}

const deposit = (accountId: string, amount: number) => ({ type: 'MoneyDeposited', data: { accountId, amount } });
const metadataOf = () => ({ commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() });

/** Appends through the port, each call with the expected revision a command would pass. */
async function strataRound(filename: string, workload: Workload, revisions: bigint[]): Promise<number> {
  const store = SqliteEventStore.open({ filename, synchronous: workload.synchronous });
  const started = performance.now();
  for (let call = 0; call < workload.calls; call++) {
    const stream = call % STREAMS;
    const accountId = `account-${stream}`;
    const metadata = metadataOf();
    const events: EventToAppend[] = [];
    for (let n = 0; n < workload.batch; n++) events.push({ ...deposit(accountId, n + 1), metadata });
    const current = revisions[stream] as bigint;
    const result = await store.appendToStream(`Account-${accountId}`, events, { expectedRevision: current < 0n ? 'no_stream' : current });
    revisions[stream] = result.nextRevision;
  }
  const ms = performance.now() - started;
  await store.close();
  return ms;
}

/** The same rows with raw better-sqlite3: read the head, check it, insert, commit. */
function rawRound(filename: string, workload: Workload, revisions: bigint[]): number {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${workload.synchronous}`);
  const head = db.prepare('SELECT MAX(revision) AS revision FROM strata_events WHERE stream_id = ?');
  const insert = db.prepare('INSERT INTO strata_events (stream_id, revision, event_id, type, data, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const append = db.transaction((streamId: string, expected: bigint, rows: readonly { type: string; data: string; metadata: string }[]) => {
    const found = head.get(streamId) as { revision: number | null };
    const current = found.revision === null ? -1n : BigInt(found.revision);
    if (current !== expected) throw new WrongExpectedRevisionError(streamId, expected, current);
    const createdAt = Date.now();
    let revision = current;
    for (const row of rows) insert.run(streamId, ++revision, randomUUID(), row.type, row.data, row.metadata, createdAt);
    return revision;
  });
  const started = performance.now();
  for (let call = 0; call < workload.calls; call++) {
    const stream = call % STREAMS;
    const accountId = `account-${stream}`;
    const metadata = metadataOf();
    const rows = [];
    for (let n = 0; n < workload.batch; n++) {
      const event = deposit(accountId, n + 1);
      rows.push({ type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(metadata) });
    }
    revisions[stream] = append.immediate(`Account-${accountId}`, revisions[stream] as bigint, rows);
  }
  const ms = performance.now() - started;
  db.close();
  return ms;
}

async function measure(context: FigureContext, workload: Workload): Promise<{ strata: number; raw: number }> {
  const label = `${workload.synchronous}, ${workload.batch} per call`;
  // Each side has its own file with the store's schema, so neither reads the other's rows.
  const strataFile = join(context.workDir, `strata-${workload.synchronous}-${workload.batch}.db`);
  const rawFile = join(context.workDir, `raw-${workload.synchronous}-${workload.batch}.db`);
  await SqliteEventStore.open({ filename: rawFile }).close();
  const strataRevisions = Array.from({ length: STREAMS }, () => -1n);
  const rawRevisions = Array.from({ length: STREAMS }, () => -1n);
  // One uncounted round each first, so neither side is timed while it is still being compiled.
  await strataRound(strataFile, { ...workload, calls: Math.min(workload.calls, 500) }, strataRevisions);
  rawRound(rawFile, { ...workload, calls: Math.min(workload.calls, 500) }, rawRevisions);
  let strataMs = 0;
  let rawMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    strataMs += await strataRound(strataFile, workload, strataRevisions);
    rawMs += rawRound(rawFile, workload, rawRevisions);
  }
  const events = ROUNDS * workload.calls * workload.batch;
  const strata = (events * 1000) / strataMs;
  const raw = (events * 1000) / rawMs;
  context.log(`${label}: strata ${Math.round(strata)} events/s, raw ${Math.round(raw)} events/s (${events} events each)`);
  return { strata, raw };
}

export const figure: Figure = {
  id: 'appends',
  title: 'appends through EventStore.appendToStream vs raw better-sqlite3',
  async run(context): Promise<BenchRow[]> {
    const scale = context.quick ? 0.25 : 1;
    const rows: BenchRow[] = [];
    for (const synchronous of ['FULL', 'NORMAL'] as const) {
      const single = await measure(context, { synchronous, batch: 1, calls: Math.round((synchronous === 'FULL' ? 1_000 : 20_000) * scale) });
      rows.push(ratioRow(`1 appends/s, 1 event per call, ${synchronous}`, single.strata, 'appends/s', single.raw, 0.8));
    }
    for (const synchronous of ['FULL', 'NORMAL'] as const) {
      const batched = await measure(context, { synchronous, batch: 100, calls: Math.round((synchronous === 'FULL' ? 300 : 1_000) * scale) });
      rows.push(ratioRow(`2 events/s in batches of 100, ${synchronous}`, batched.strata, 'events/s', batched.raw, 0.8));
    }
    return rows;
  },
};
