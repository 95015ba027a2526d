import { comparePositions, type Position } from '@strata/core';
import { LEASES_COLLECTION } from '@strata/core/adapter';
import { PostgresDocumentStore } from '@strata/postgres';
import { Client } from 'pg';

/** One committed change, as the audit triggers recorded it inside the transaction that made it. */
interface AuditRow {
  readonly seq: string;
  readonly txid: string;
  /** Server clock at the write, in epoch milliseconds. */
  readonly at: number;
  readonly kind: 'lease' | 'checkpoint';
  readonly name: string;
  readonly before: unknown;
  readonly after: unknown;
}

interface LeaseDoc {
  readonly owner: string | null;
  readonly expiresAt: number;
  readonly acquiredAt: number;
}

/** Who did work under one lease, from when to when (server clock), in commit order. */
export interface HolderSpan {
  readonly pid: number;
  readonly from: number;
  readonly to: number;
  readonly commits: number;
}

/** What the audit shows for one subscription (a projection, a saga, or a saga loop). */
export interface LeaseHistory {
  readonly name: string;
  readonly spans: readonly HolderSpan[];
  /** Checkpoint commits, each `[from, to]` and the pid that made it. */
  readonly batches: readonly { readonly pid: number; readonly from: Position | null; readonly to: Position }[];
  /** Changes of holder that broke the one-writer rule (empty when it held). */
  readonly violations: readonly string[];
}

const AUDIT = 'lease_audit';

/**
 * Records, from inside PostgreSQL, every committed change of the leases and checkpoints of
 * `schema`: triggers write a row in the same transaction, so a transaction that rolled back
 * (a fenced commit refused) leaves none, and the rows are the evidence of who wrote what, when.
 * Creates the document tables first (as the bank would), so the history starts empty.
 */
export async function installLeaseAudit(url: string, schema: string): Promise<void> {
  const documents = await PostgresDocumentStore.open({ connectionString: url, schema, poolSize: 1 });
  try {
    const leases = documents.collection<{ _id: string; owner: null; expiresAt: number; acquiredAt: number }>(LEASES_COLLECTION);
    await leases.insertOne({ _id: 'audit-probe', owner: null, expiresAt: 0, acquiredAt: 0 });
    await leases.deleteOne({ _id: 'audit-probe' });
  } finally {
    await documents.close();
  }
  await withClient(url, async (client) => {
    await client.query(`CREATE SCHEMA ${AUDIT}`);
    await client.query(`CREATE TABLE ${AUDIT}.changes (seq bigserial PRIMARY KEY, txid bigint NOT NULL, at timestamptz NOT NULL, kind text NOT NULL, name text NOT NULL, before jsonb, after jsonb)`);
    await client.query(`CREATE FUNCTION ${AUDIT}.lease_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO ${AUDIT}.changes (txid, at, kind, name, before, after)
        VALUES (txid_current(), clock_timestamp(), 'lease', coalesce(NEW.id, OLD.id), OLD.doc, NEW.doc); RETURN NULL; END $$`);
    await client.query(`CREATE FUNCTION ${AUDIT}.checkpoint_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO ${AUDIT}.changes (txid, at, kind, name, before, after)
        VALUES (txid_current(), clock_timestamp(), 'checkpoint', NEW.name, to_jsonb(OLD.position), to_jsonb(NEW.position)); RETURN NULL; END $$`);
    await client.query(`CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON ${schema}.doc_strata_leases FOR EACH ROW EXECUTE FUNCTION ${AUDIT}.lease_changed()`);
    await client.query(`CREATE TRIGGER audit AFTER INSERT OR UPDATE ON ${schema}.strata_checkpoints FOR EACH ROW EXECUTE FUNCTION ${AUDIT}.checkpoint_changed()`);
  });
}

/** The pid in a lease owner (`host:pid:instance:random`). */
export function pidOf(owner: string): number {
  return Number(owner.split(':')[1]);
}

/** The pids holding each lease now (released and expired leases left out). */
export async function currentHolders(url: string, schema: string): Promise<Map<string, number>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ id: string; doc: LeaseDoc }>(`SELECT id, doc FROM ${schema}.doc_strata_leases`);
    const now = Date.now();
    return new Map(rows.filter((row) => row.doc.owner !== null && row.doc.expiresAt > now).map((row) => [row.id, pidOf(row.doc.owner as string)]));
  });
}

/**
 * Waits, polling the database every 2 s, until every checkpoint is at the head of the log, no
 * saga instance is active and the saga outbox is empty: cheaper for busy instances than asking
 * each transfer's status over HTTP in a loop.
 */
export async function waitUntilQuiet(url: string, schema: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  await withClient(url, async (client) => {
    for (;;) {
      const { rows } = await client.query<{ behind: string; active: string; outbox: string }>(
        `SELECT (SELECT count(*) FROM ${schema}.strata_checkpoints WHERE position < (SELECT lpad(to_hex(max(position)), 16, '0') FROM ${schema}.strata_events)) AS behind,
                (SELECT count(*) FROM ${schema}.doc_strata_saga_instances WHERE doc->>'status' = 'active') AS active,
                (SELECT count(*) FROM ${schema}.doc_strata_saga_outbox) AS outbox`,
      );
      const row = rows[0];
      if (row && row.behind === '0' && row.active === '0' && row.outbox === '0') return;
      if (Date.now() > until) throw new Error(`not quiet after ${timeoutMs} ms: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  });
}

/** The leases, checkpoints and saga outbox as they stand, for a failing test to print. */
export async function describeSubscriptions(url: string, schema: string): Promise<string> {
  return withClient(url, async (client) => {
    const leases = await client.query<{ id: string; doc: LeaseDoc }>(`SELECT id, doc FROM ${schema}.doc_strata_leases ORDER BY id`);
    const checkpoints = await client.query<{ name: string; position: string }>(`SELECT name, position FROM ${schema}.strata_checkpoints ORDER BY name`);
    const outbox = await client.query<{ count: string }>(`SELECT count(*) FROM ${schema}.doc_strata_saga_outbox`).catch(() => ({ rows: [{ count: 'none' }] }));
    return [
      ...leases.rows.map((row) => `lease ${row.id}: ${JSON.stringify(row.doc)}`),
      ...checkpoints.rows.map((row) => `checkpoint ${row.name}: ${row.position}`),
      `saga outbox: ${outbox.rows[0]?.count ?? '?'} commands`,
    ].join('\n');
  });
}

/**
 * Reads the audit back, per lease, in commit order (changes of one lease row are serialised by
 * its row lock, and every fenced unit of work changes that row), and checks the one-writer rule:
 * a lease changes holder only when it was released, had expired, or its holder's process was
 * dead (`deadPids`); every checkpoint moves in the same transaction as a change of its lease by
 * a holder whose lease had not expired, from exactly where the previous commit left it.
 */
export async function readLeaseHistories(url: string, deadPids: ReadonlySet<number>): Promise<LeaseHistory[]> {
  const rows = await withClient(url, async (client) => {
    const { rows } = await client.query<AuditRow>(
      `SELECT seq, txid::text, (extract(epoch from at) * 1000)::float8 AS at, kind, name, before, after FROM ${AUDIT}.changes ORDER BY seq`,
    );
    return rows;
  });
  const leaseRows = rows.filter((row) => row.kind === 'lease');
  const names = [...new Set(leaseRows.map((row) => row.name))].sort();
  return names.map((name) => historyOf(name, leaseRows.filter((row) => row.name === name), rows.filter((row) => row.kind === 'checkpoint' && row.name === name), deadPids));
}

function historyOf(name: string, leases: readonly AuditRow[], checkpoints: readonly AuditRow[], deadPids: ReadonlySet<number>): LeaseHistory {
  const violations: string[] = [];
  const spans: HolderSpan[] = [];
  for (const row of leases) {
    const before = row.before as LeaseDoc | null;
    const after = row.after as LeaseDoc | null;
    if (after?.owner == null) continue;
    const pid = pidOf(after.owner);
    const changedHands = before?.owner != null && before.owner !== after.owner;
    if (changedHands && before.expiresAt > after.acquiredAt && !deadPids.has(pidOf(before.owner))) {
      violations.push(`${name}: pid ${pid} took the lease at ${after.acquiredAt} from live pid ${pidOf(before.owner)}, whose lease ran to ${before.expiresAt}`);
    }
    const last = spans[spans.length - 1];
    if (last && last.pid === pid && !changedHands) spans[spans.length - 1] = { ...last, to: row.at, commits: last.commits + 1 };
    else spans.push({ pid, from: row.at, to: row.at, commits: 1 });
  }
  const batches: LeaseHistory['batches'][number][] = [];
  let previous: Position | null = null;
  for (const row of checkpoints) {
    const fence = leases.find((lease) => lease.txid === row.txid);
    const holder = fence?.after as LeaseDoc | null | undefined;
    if (!holder?.owner) {
      violations.push(`${name}: checkpoint ${String(row.after)} committed without a change of its lease in the same transaction`);
      continue;
    }
    if (holder.expiresAt <= row.at) violations.push(`${name}: pid ${pidOf(holder.owner)} committed checkpoint ${String(row.after)} at ${row.at} on a lease that expired at ${holder.expiresAt}`);
    const from = row.before as Position | null;
    const to = row.after as Position;
    if (from !== previous) violations.push(`${name}: a batch by pid ${pidOf(holder.owner)} started at ${String(from)}, but the previous commit ended at ${String(previous)}`);
    if (from !== null && comparePositions(to, from) <= 0) violations.push(`${name}: checkpoint went from ${from} back to ${to}`);
    batches.push({ pid: pidOf(holder.owner), from, to });
    previous = to;
  }
  for (let at = 1; at < spans.length; at++) {
    const [earlier, later] = [spans[at - 1] as HolderSpan, spans[at] as HolderSpan];
    if (later.from < earlier.to) violations.push(`${name}: pid ${later.pid} wrote from ${later.from} while pid ${earlier.pid} wrote until ${earlier.to}`);
  }
  return { name, spans, batches, violations };
}

async function withClient<R>(url: string, work: (client: Client) => Promise<R>): Promise<R> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
