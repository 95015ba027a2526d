// Catch-up on PostgreSQL: the bank's `accounts` projection through ProjectionRunner, from an empty
// read model to the head of a log of bank events, against a raw `pg` loop writing the same
// documents: pages of the log in position order, the page's accounts read in one query, folded
// in memory, written back with one upsert and the checkpoint in one transaction per page.
import { randomBytes } from 'node:crypto';
import { newLeaseOwner, requireProjectionOptions, resolveProjectionSettings, ProjectionRunner } from '@strata/core/adapter';
import { PostgresDatabase, PostgresDocumentStore, PostgresEventStore } from '@strata/postgres';
import { Pool } from 'pg';
import { AccountsProjection } from '../../apps/bank/src/accounts/projections/accounts.projection';
import { seedBankEvents } from '../bank-log';
import { ratioRow, type BenchRow, type Figure, type FigureContext } from '../harness';

const EVENTS = 100_000;
const QUICK_EVENTS = 20_000;
const BATCH = 500;
const ROUNDS = 2;
const url = (): string => process.env['DATABASE_URL']?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const TYPES = ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn', 'AccountClosed'];

interface Account {
  owner: string;
  balance: number;
  status: string;
  revision: number;
}

/** ProjectionRunner from nothing to the head; events per second of wall clock. */
async function strataRound(schema: string, total: number): Promise<number> {
  const events = await PostgresEventStore.open({ connectionString: url(), schema, poolSize: 2, listen: false });
  const documents = await PostgresDocumentStore.open({ connectionString: url(), schema, poolSize: 2 });
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const runner = new ProjectionRunner(
    { handler: new AccountsProjection(), options: requireProjectionOptions(AccountsProjection) },
    events,
    documents,
    resolveProjectionSettings({}, { batchSize: BATCH, pollIntervalMs: 5 }),
    newLeaseOwner(),
    silent,
  );
  const head = await events.headPosition();
  const started = performance.now();
  runner.start();
  try {
    if (head === null || !(await runner.waitFor(head, Date.now() + 600_000))) throw new Error('the catch-up did not reach the head');
    return (total / (performance.now() - started)) * 1000;
  } finally {
    await runner.stop();
    await Promise.all([events.close(), documents.close()]);
  }
}

/** The same documents, written by hand: one read, one upsert and the checkpoint per page of the log. */
async function rawRound(schema: string, total: number): Promise<number> {
  const pool = new Pool({ connectionString: url(), max: 2 });
  const table = `${schema}.raw_accounts`;
  await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, doc jsonb NOT NULL); CREATE TABLE ${schema}.raw_checkpoint (name text PRIMARY KEY, position bigint NOT NULL)`);
  const started = performance.now();
  let from = 0n;
  for (;;) {
    const page = await pool.query<{ position: string; revision: string; type: string; data: { accountId: string; owner?: string; amount?: number } }>(
      `SELECT position, revision, type, data FROM ${schema}.strata_events WHERE position > $1 AND type = ANY($2) ORDER BY position LIMIT $3`,
      [String(from), TYPES, BATCH],
    );
    if (page.rows.length === 0) break;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const ids = [...new Set(page.rows.map((row) => row.data.accountId))];
      const stored = await client.query<{ id: string; doc: Account }>(`SELECT id, doc FROM ${table} WHERE id = ANY($1)`, [ids]);
      const accounts = new Map(stored.rows.map((row) => [row.id, row.doc]));
      for (const row of page.rows) {
        const revision = Number(row.revision);
        const current = accounts.get(row.data.accountId);
        if (current && revision <= current.revision) continue;
        if (row.type === 'AccountOpened') accounts.set(row.data.accountId, { owner: row.data.owner ?? '', balance: 0, status: 'open', revision });
        else if (!current) throw new Error(`raw baseline: ${row.type} before AccountOpened`);
        else if (row.type === 'MoneyDeposited') accounts.set(row.data.accountId, { ...current, balance: current.balance + (row.data.amount ?? 0), revision });
        else if (row.type === 'MoneyWithdrawn') accounts.set(row.data.accountId, { ...current, balance: current.balance - (row.data.amount ?? 0), revision });
        else accounts.set(row.data.accountId, { ...current, status: 'closed', revision });
      }
      const written = ids.map((id) => [id, accounts.get(id)] as const).filter(([, doc]) => doc !== undefined);
      await client.query(
        `INSERT INTO ${table} (id, doc) SELECT e->>0, e->1 FROM jsonb_array_elements($1::jsonb) e ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
        [JSON.stringify(written)],
      );
      from = BigInt((page.rows[page.rows.length - 1] as { position: string }).position);
      await client.query(`INSERT INTO ${schema}.raw_checkpoint VALUES ('accounts', $1) ON CONFLICT (name) DO UPDATE SET position = excluded.position`, [String(from)]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  const rate = (total / (performance.now() - started)) * 1000;
  await pool.end();
  return rate;
}

export const figure: Figure = {
  id: 'postgres-catchup',
  title: 'PostgreSQL catch-up of the accounts projection vs a raw pg loop',
  async run(context: FigureContext): Promise<BenchRow[]> {
    const total = context.quick ? QUICK_EVENTS : EVENTS;
    const schema = `bench_catchup_${randomBytes(4).toString('hex')}`;
    try {
      const store = await PostgresEventStore.open({ connectionString: url(), schema, poolSize: 4, listen: false });
      const seededAt = performance.now();
      await seedBankEvents(store, total);
      await store.close();
      context.log(`seeded ${total} bank events in ${Math.round(performance.now() - seededAt)} ms`);
      let strata = 0;
      let raw = 0;
      // Alternating rounds, each into empty tables, so both sides meet the same server state.
      for (let round = 0; round < ROUNDS; round++) {
        await dropReadModels(schema);
        strata = Math.max(strata, await strataRound(schema, total));
        raw = Math.max(raw, await rawRound(schema, total));
        context.log(`catch-up round ${round + 1}: strata ${strata.toFixed(0)} events/s, raw pg ${raw.toFixed(0)} events/s`);
      }
      return [ratioRow(`postgres catch-up events/s, accounts projection, ${total} events`, strata, 'events/s', raw, 0.5)];
    } finally {
      const db = PostgresDatabase.open({ connectionString: url(), poolSize: 1 });
      await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.release();
    }
  },
};

/** Empties both sides' read models and checkpoints, keeping the log. */
async function dropReadModels(schema: string): Promise<void> {
  const db = PostgresDatabase.open({ connectionString: url(), poolSize: 1 });
  try {
    const { rows } = await db.pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND (tablename LIKE 'doc\\_%' OR tablename LIKE 'raw\\_%')`, [schema]);
    for (const row of rows) await db.pool.query(`DROP TABLE ${schema}."${row.tablename}"`);
    await db.pool.query(`DELETE FROM ${schema}.strata_checkpoints`).catch(() => undefined);
    await db.pool.query(`DELETE FROM ${schema}.strata_collections`).catch(() => undefined);
    await db.pool.query(`DELETE FROM ${schema}.strata_document_indexes`).catch(() => undefined);
  } finally {
    await db.release();
  }
}
