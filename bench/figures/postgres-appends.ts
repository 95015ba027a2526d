// PostgreSQL appends through EventStore.appendToStream against raw `pg` doing the same work: the
// same table and indexes, the same revision check (max revision of the stream) and insert in one
// transaction per append, the same JSON. Strata's append also takes the per-schema advisory lock
// that keeps positions in commit order; the concurrent row shows what that lock costs when
// several writers append at once. Rounds alternate strata and raw, each in a fresh schema.
import { randomUUID } from 'node:crypto';
import { PostgresDatabase, PostgresEventStore } from '@strata/postgres';
import { Pool } from 'pg';
import { infoRow, ratioRow, type BenchRow, type Figure, type FigureContext } from '../harness';

const STREAMS = 50;
const ROUNDS = 3;
/** Each writer appends to streams of its own (w, w + writers, …), so the revision it expects is never raced. */
const streamOf = (n: number, writers: number): number => (n % writers) + writers * (Math.floor(n / writers) % Math.floor(STREAMS / writers));
const url = (): string => process.env['DATABASE_URL']?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const deposit = (accountId: string, amount: number) => ({ type: 'MoneyDeposited', data: { accountId, amount } });
const metadataOf = () => ({ commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() });

async function strataRound(schema: string, calls: number, writers: number): Promise<number> {
  const store = await PostgresEventStore.open({ connectionString: url(), schema, poolSize: writers, listen: false });
  const revisions = Array.from({ length: STREAMS }, () => -1n);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let n = w; n < calls; n += writers) {
        const s = streamOf(n, writers);
        const expectedRevision = revisions[s] === -1n ? 'no_stream' : (revisions[s] as bigint);
        const { nextRevision } = await store.appendToStream(`Bench-${schema}-${s}`, [{ ...deposit(`a${s}`, n), metadata: metadataOf() }], { expectedRevision });
        revisions[s] = nextRevision;
      }
    }),
  );
  const elapsed = performance.now() - started;
  await store.close();
  return (calls / elapsed) * 1000;
}

async function rawRound(schema: string, calls: number, writers: number): Promise<number> {
  const pool = new Pool({ connectionString: url(), max: writers });
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.events (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL,
    event_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE UNIQUE INDEX ON ${schema}.events (stream_id, revision); CREATE UNIQUE INDEX ON ${schema}.events (event_id); CREATE INDEX ON ${schema}.events (type, position)`);
  const revisions = Array.from({ length: STREAMS }, () => -1n);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const client = await pool.connect();
      for (let n = w; n < calls; n += writers) {
        const s = streamOf(n, writers);
        const streamId = `Bench-${schema}-${s}`;
        await client.query('BEGIN');
        const head = await client.query<{ revision: string | null }>(`SELECT max(revision) AS revision FROM ${schema}.events WHERE stream_id = $1`, [streamId]);
        const current = head.rows[0]?.revision == null ? -1n : BigInt(head.rows[0].revision);
        if (current !== (revisions[s] as bigint)) throw new Error(`raw baseline: ${streamId} is at ${current}, expected ${revisions[s]}`);
        await client.query(`INSERT INTO ${schema}.events (stream_id, revision, event_id, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6) RETURNING position`, [
          streamId,
          String(current + 1n),
          randomUUID(),
          'MoneyDeposited',
          JSON.stringify(deposit(`a${s}`, n).data),
          JSON.stringify(metadataOf()),
        ]);
        await client.query('COMMIT');
        revisions[s] = current + 1n;
      }
      client.release();
    }),
  );
  const elapsed = performance.now() - started;
  await pool.end();
  return (calls / elapsed) * 1000;
}

async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const db = PostgresDatabase.open({ connectionString: url(), poolSize: 1 });
  for (const schema of schemas) await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.release();
}

export const figure: Figure = {
  id: 'postgres-appends',
  title: 'PostgreSQL appends vs raw pg',
  async run(context: FigureContext): Promise<BenchRow[]> {
    const calls = context.quick ? 300 : 2_000;
    const rows: BenchRow[] = [];
    const schemas: string[] = [];
    try {
      for (const writers of [1, 8]) {
        let strata = 0;
        let raw = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const tag = `${process.pid}_${writers}_${round}`;
          schemas.push(`bench_strata_${tag}`, `bench_raw_${tag}`);
          strata = Math.max(strata, await strataRound(`bench_strata_${tag}`, calls, writers));
          raw = Math.max(raw, await rawRound(`bench_raw_${tag}`, calls, writers));
          context.log(`postgres appends, ${writers} writer(s), round ${round + 1}: strata ${strata.toFixed(0)}/s, raw pg ${raw.toFixed(0)}/s`);
        }
        const name = `postgres appends/s, 1 event per call, ${writers} writer(s)`;
        // One writer is the target; eight show what ordering commits costs against unordered raw inserts.
        rows.push(writers === 1 ? ratioRow(name, strata, 'appends/s', raw, 0.8) : infoRow(name, strata, 'appends/s', raw));
      }
    } finally {
      await dropSchemas(schemas);
    }
    return rows;
  },
};
