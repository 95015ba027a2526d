// What event checksums cost on PostgreSQL: the same PostgresEventStore with checksums on (a CRC-32
// of data and metadata in jsonb's key order, written at append, verified on every read) against
// `checksums: false`, in alternating rounds of one process, each side in a schema of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventToAppend, Position } from '@strata/core';
import { PostgresEventStore } from '@strata/postgres';
import { Client } from 'pg';
import { infoRow, ratioRow, type BenchRow, type Figure, type FigureContext } from '../harness';

const STREAMS = 50;
const ROUNDS = 4;
const url = (): string => process.env['DATABASE_URL']?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const open = (schema: string, checksums: boolean, poolSize = 2): Promise<PostgresEventStore> =>
  PostgresEventStore.open({ connectionString: url(), schema, poolSize, listen: false, checksums });

/** Appends `calls` bank-shaped deposits of `batch` events each, with their expected revisions; returns the milliseconds taken. */
async function appendRound(schema: string, checksums: boolean, calls: number, batch: number, revisions: bigint[]): Promise<number> {
  const store = await open(schema, checksums);
  const started = performance.now();
  for (let call = 0; call < calls; call++) {
    const stream = call % STREAMS;
    const metadata = { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() };
    const events: EventToAppend[] = Array.from({ length: batch }, (_, n) => ({ type: 'MoneyDeposited', data: { accountId: `account-${stream}`, amount: n + 1 }, metadata }));
    const current = revisions[stream] as bigint;
    revisions[stream] = (await store.appendToStream(`Account-${stream}`, events, { expectedRevision: current < 0n ? 'no_stream' : current })).nextRevision;
  }
  const ms = performance.now() - started;
  await store.close();
  return ms;
}

/** Reads the whole log through `readAll` in pages of 1,000, as a replay does; returns the milliseconds taken. */
async function readRound(schema: string, checksums: boolean): Promise<number> {
  const store = await open(schema, checksums);
  const started = performance.now();
  let from: Position | undefined;
  for (;;) {
    const page = await store.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: 1000 });
    if (page.nextPosition === null) break;
    from = page.nextPosition;
  }
  const ms = performance.now() - started;
  await store.close();
  return ms;
}

async function appends(context: FigureContext, schemas: string[], calls: number, batch: number): Promise<BenchRow> {
  const on = fresh(schemas);
  const off = fresh(schemas);
  const revisions = { on: Array.from({ length: STREAMS }, () => -1n), off: Array.from({ length: STREAMS }, () => -1n) };
  const warmUp = Math.min(calls, 100);
  await appendRound(on, true, warmUp, batch, revisions.on);
  await appendRound(off, false, warmUp, batch, revisions.off);
  let onMs = 0;
  let offMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which side goes first evens out drift in the machine's load.
    const first = round % 2 === 0;
    if (first) onMs += await appendRound(on, true, calls, batch, revisions.on);
    offMs += await appendRound(off, false, calls, batch, revisions.off);
    if (!first) onMs += await appendRound(on, true, calls, batch, revisions.on);
  }
  const events = ROUNDS * calls * batch;
  const withChecksums = (events * 1000) / onMs;
  const without = (events * 1000) / offMs;
  context.log(`postgres appends, ${batch} per call: with checksums ${Math.round(withChecksums)} events/s, without ${Math.round(without)} events/s`);
  return ratioRow(`postgres events/s with checksums, ${batch} per call`, withChecksums, 'events/s', without, 0.95);
}

async function reads(context: FigureContext, schemas: string[], events: number): Promise<BenchRow> {
  const schema = fresh(schemas);
  // Seeded with checksums; the store with them off reads the same rows without verifying.
  await appendRound(schema, true, events / 100, 100, Array.from({ length: STREAMS }, () => -1n));
  await readRound(schema, true);
  let onMs = 0;
  let offMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0;
    if (first) onMs += await readRound(schema, true);
    offMs += await readRound(schema, false);
    if (!first) onMs += await readRound(schema, true);
  }
  const withChecksums = (ROUNDS * events * 1000) / onMs;
  const without = (ROUNDS * events * 1000) / offMs;
  context.log(`postgres readAll of ${events} events: verified ${Math.round(withChecksums)} events/s, unverified ${Math.round(without)} events/s`);
  return infoRow(`postgres readAll events/s verifying checksums (replay's read path), ${events} events`, withChecksums, 'events/s', without);
}

function fresh(schemas: string[]): string {
  const schema = `bench_sums_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

export const figure: Figure = {
  id: 'postgres-checksums',
  title: 'event checksums on PostgreSQL appends and reads, against the same store without them',
  async run(context): Promise<BenchRow[]> {
    const scale = context.quick ? 0.3 : 1;
    const schemas: string[] = [];
    try {
      return [
        await appends(context, schemas, Math.round(1_000 * scale), 1),
        await appends(context, schemas, Math.round(200 * scale), 100),
        await reads(context, schemas, Math.round(100_000 * scale)),
      ];
    } finally {
      const client = new Client({ connectionString: url() });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  },
};
