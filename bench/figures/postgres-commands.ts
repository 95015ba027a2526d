// Commands end to end on PostgreSQL, through the compiled bank (`npm run build` first):
//   - deposits over HTTP against one instance (autocannon, 50 connections): throughput and p99;
//   - the transfer load (1,000 transfers among 20 accounts, 100 in flight) sent round
//     robin to three instances on one database: commands/s, p99, and how long until every
//     transfer settled (each projection and saga at the head, nothing in the saga outbox).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient, type HttpAnswer } from '@strata/testing';
import { Client } from 'pg';
import { freePort } from '../../apps/bank/test/bank-process';
import { waitUntilQuiet } from '../../apps/bank/test/lease-audit';
import { DEFAULT_LOAD, runTransferLoad } from '../../apps/bank/test/transfer-load';
import { infoRow, percentile, type BenchRow, type Figure, type FigureContext } from '../harness';
import { runLoad } from '../http-load';

const root = join(__dirname, '..', '..');
const main = join(root, 'dist/apps/bank/main.js');
const url = (): string => process.env['DATABASE_URL']?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A bank process on `schema`, answering HTTP. */
async function startBank(schema: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), STRATA_EVENT_STORE: 'postgres', STRATA_READ_STORE: 'postgres', DATABASE_URL: url(), STRATA_POSTGRES_SCHEMA: schema, STRATA_POSTGRES_POOL_SIZE: '4', LOG_LEVEL: 'warn', TRANSFER_TIMEOUT_MS: '600000' };
  const child = spawn(process.execPath, [main], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + 120_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the bank exited with ${child.exitCode}`);
    if ((await fetch(`${base}/health/ready`).then((r) => r.status, () => 0)) === 200) return { child, url: base };
    if (Date.now() > until) throw new Error('the bank did not become ready in 120 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** An HttpClient that remembers how long each command took. */
class TimedClient extends HttpClient {
  readonly latencies: number[] = [];

  override async post(path: string, body: object, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const started = performance.now();
    const answer = await super.post(path, body, headers);
    this.latencies.push(performance.now() - started);
    return answer;
  }
}

async function deposits(schema: string, context: FigureContext): Promise<BenchRow[]> {
  const bank = await startBank(schema);
  try {
    const ids: string[] = [];
    for (let n = 0; n < 200; n++) {
      const answer = await fetch(`${bank.url}/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ owner: `bench-${n}` }) });
      ids.push(((await answer.json()) as { id: string }).id);
    }
    const result = await runLoad({ url: bank.url, path: '/accounts/{id}/deposits', ids, body: { amount: 1 }, connections: 50, seconds: context.quick ? 5 : 15 });
    if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`deposits failed: ${JSON.stringify(result.statuses)}, ${result.errors} errors, ${result.timeouts} timeouts`);
    const rate = result.ok / result.seconds;
    context.log(`deposits, one instance: ${rate.toFixed(0)}/s, p99 ${percentile(result.latencies, 99).toFixed(1)} ms`);
    return [infoRow('postgres deposits/s over HTTP, one instance, 50 connections', rate, 'commands/s'), infoRow('postgres deposit p99, one instance, 50 connections', percentile(result.latencies, 99), 'ms')];
  } finally {
    bank.child.kill('SIGKILL');
  }
}

async function transfers(schema: string, context: FigureContext): Promise<BenchRow[]> {
  const banks = await Promise.all([0, 1, 2].map(() => startBank(schema)));
  let turn = 0;
  const client = new TimedClient(() => (banks[turn++ % banks.length] as { url: string }).url, () => false, 60);
  try {
    const shape = context.quick ? { ...DEFAULT_LOAD, transfers: 300, directOperations: 30 } : DEFAULT_LOAD;
    const started = performance.now();
    await runTransferLoad(client, shape);
    const loadMs = performance.now() - started;
    await waitUntilQuiet(url(), schema, 1_200_000);
    const settledMs = performance.now() - started;
    const rate = (client.latencies.length / loadMs) * 1000;
    context.log(`transfer load, three instances: ${client.latencies.length} commands in ${Math.round(loadMs)} ms (${rate.toFixed(0)}/s), p99 ${percentile(client.latencies, 99).toFixed(0)} ms; all settled after ${Math.round(settledMs)} ms`);
    return [
      infoRow(`postgres transfer load commands/s, three instances, ${shape.transfers} transfers`, rate, 'commands/s'),
      infoRow('postgres transfer load command p99, three instances', percentile(client.latencies, 99), 'ms'),
      infoRow('postgres transfer load, time until every transfer settled', settledMs / 1000, 's'),
    ];
  } finally {
    client.close();
    for (const bank of banks) bank.child.kill('SIGKILL');
  }
}

export const figure: Figure = {
  id: 'postgres-commands',
  title: 'PostgreSQL commands end to end: deposits on one instance, the transfer load on three',
  async run(context: FigureContext): Promise<BenchRow[]> {
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const tag = randomBytes(4).toString('hex');
    const schemas = [`bench_commands_${tag}`, `bench_transfers_${tag}`];
    try {
      return [...(await deposits(schemas[0] as string, context)), ...(await transfers(schemas[1] as string, context))];
    } finally {
      const admin = new Client({ connectionString: url() });
      await admin.connect();
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  },
};
