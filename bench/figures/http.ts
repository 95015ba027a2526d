// Figures 3 and 7: the bank over real HTTP, booted in this process as `npm start` boots it, on
// the embedded SQLite store (synchronous=NORMAL), with production's request logging going to a
// file instead of the terminal.
//   3: deposits/s and p99 under autocannon (50 connections), against a bare endpoint in the same
//      app that validates the same body through the same global pipe and answers a constant.
//   7: read-your-writes: GET /accounts/{id} after a deposit, with the deposit's X-Strata-Position
//      and without it, interleaved; the header's cost is the difference of the p99s.
// Run it alone: node -r ts-node/register bench/figures/http.ts [--quick]
import { Body, Controller, HttpCode, HttpStatus, Module, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { EventStore, Projections, UuidParamPipe, type CommandResponse } from '@strata/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AmountDto } from '../../apps/bank/src/accounts/dto/amount.dto';
import type { AccountView } from '../../apps/bank/src/accounts/queries/account.view';
import { startBankApp } from '../../apps/bank/src/bank-app';
import { ceilingRow, infoRow, percentile, ratioRow, ROWS_MARKER, type BenchRow, type Figure, type FigureContext } from '../harness';
import { runLoad, type LoadResult } from '../http-load';

const BARE_PATH = '/bench/accounts/{id}/deposits';
const DEPOSIT_PATH = '/accounts/{id}/deposits';
const CONNECTIONS = 50;
/** Accounts figure 7 deposits to and reads, apart from figure 3's. */
const READ_ACCOUNTS = 20;
/** Requests in flight while the accounts are opened. */
const OPEN_CONCURRENCY = 16;

const ANSWER: CommandResponse = Object.freeze({ id: '00000000-0000-4000-8000-000000000000', revision: 1, position: '1' });

/**
 * The baseline of figure 3: the deposit route's shape (UUID path parameter, `AmountDto` body
 * through the app's global ValidationPipe, 200) and nothing behind it. Mounted only here.
 */
@ApiExcludeController()
@Controller('bench')
class BareDepositController {
  @Post('accounts/:id/deposits')
  @HttpCode(HttpStatus.OK)
  deposit(@Param('id', UuidParamPipe) _id: string, @Body() _body: AmountDto): CommandResponse {
    return ANSWER;
  }
}

@Module({ controllers: [BareDepositController] })
class BareDepositModule {}

interface Timings {
  /** Load time of each side, split into `rounds` that alternate bare and deposits. */
  readonly loadSeconds: number;
  readonly rounds: number;
  /** Accounts the deposits of figure 3 are spread across. */
  readonly accounts: number;
  readonly warmUpSeconds: number;
  readonly readIterations: number;
}

export const figure: Figure = {
  id: 'http',
  title: 'HTTP deposits against a bare endpoint, and read-your-writes',
  async run(context: FigureContext): Promise<BenchRow[]> {
    const timings: Timings = context.quick
      ? { accounts: 500, loadSeconds: 4, rounds: 2, warmUpSeconds: 1, readIterations: 150 }
      : { accounts: 1_000, loadSeconds: 10, rounds: 4, warmUpSeconds: 3, readIterations: 500 };
    const logFile = join(context.workDir, 'requests.log');
    const destination = pino.destination({ dest: logFile, sync: false });
    const app = await startBankApp({
      strata: {
        env: {
          ...process.env,
          STRATA_EVENT_STORE: 'sqlite',
          STRATA_READ_STORE: 'sqlite',
          STRATA_DATA_DIR: context.workDir,
          STRATA_SQLITE_SYNCHRONOUS: 'NORMAL',
          PORT: '0',
          HOST: '127.0.0.1',
        },
      },
      logger: { level: 'info', destination },
      extraModules: [BareDepositModule],
    });
    try {
      const url = await app.getUrl();
      context.log(`bank listening on ${url}, store and request log in the work folder`);
      const rows = [...(await deposits(app, url, context, timings)), ...(await readYourWrites(app, url, context, timings))];
      destination.flushSync();
      const logged = readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes('"correlationId"')).length;
      context.log(`request log: ${logged} lines with a correlation id`);
      return rows;
    } finally {
      await app.close();
      destination.end();
    }
  },
};

async function deposits(app: NestFastifyApplication, url: string, context: FigureContext, timings: Timings): Promise<BenchRow[]> {
  const started = performance.now();
  const ids = await openAccounts(url, timings.accounts);
  context.log(`opened ${ids.length} accounts over HTTP in ${Math.round(performance.now() - started)} ms`);
  await settle(app);
  const load = async (what: string, path: string, seconds: number) =>
    valid(what, await runLoad({ url, path, ids, body: { amount: 1 }, connections: CONNECTIONS, seconds }));
  context.log(`warming up (${timings.warmUpSeconds} s per endpoint)`);
  await load('warm-up of the bare endpoint', BARE_PATH, timings.warmUpSeconds);
  await load('warm-up of the deposits', DEPOSIT_PATH, timings.warmUpSeconds);
  // Rounds alternate, so a busy moment on the machine weighs on both sides alike.
  const bare: LoadResult[] = [];
  const real: LoadResult[] = [];
  const seconds = timings.loadSeconds / timings.rounds;
  for (let round = 1; round <= timings.rounds; round++) {
    await settle(app);
    bare.push(await load(`bare endpoint, round ${round}`, BARE_PATH, seconds));
    real.push(await load(`deposits, round ${round}`, DEPOSIT_PATH, seconds));
  }
  const baseline = pooled(bare);
  const deposited = pooled(real);
  context.log(`bare endpoint: ${describe(baseline)}`);
  context.log(`deposits:      ${describe(deposited)}`);
  return [
    ratioRow('3 HTTP deposits/s', deposited.requestsPerSecond, 'req/s', baseline.requestsPerSecond, 0.5),
    ceilingRow('3 HTTP deposit p99', deposited.p99, 'ms', 25, baseline.p99),
  ];
}

interface Pooled {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly answers: number;
}

/** Throughput over all rounds, and percentiles over every answer of every round. */
function pooled(runs: readonly LoadResult[]): Pooled {
  const latencies = runs.flatMap((run) => run.latencies);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return { requestsPerSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), answers: latencies.length };
}

async function readYourWrites(app: NestFastifyApplication, url: string, context: FigureContext, timings: Timings): Promise<BenchRow[]> {
  const ids = await openAccounts(url, READ_ACCOUNTS);
  // Figure 3 may have left the projections behind; this figure measures a wait for one deposit, not a catch-up.
  await settle(app);
  const balances = new Map(ids.map((id) => [id, 0]));
  const withHeader: number[] = [];
  const without: number[] = [];
  for (let iteration = 0; iteration < timings.readIterations * 2; iteration++) {
    const id = ids[iteration % ids.length] as string;
    const amount = 1 + (iteration % 7);
    const deposit = await request<CommandResponse>(url, 'POST', DEPOSIT_PATH.replace('{id}', id), { amount });
    const balance = (balances.get(id) ?? 0) + amount;
    balances.set(id, balance);
    // Alternate the two kinds, so both see the same store, projections and machine.
    const header = iteration % 2 === 0;
    const started = performance.now();
    const view = await request<AccountView>(url, 'GET', `/accounts/${id}`, undefined, header ? { 'X-Strata-Position': deposit.position } : {});
    const ms = performance.now() - started;
    if (header) {
      if (view.balance !== balance || view.revision < deposit.revision) {
        throw new Error(
          `read-your-writes broken: GET /accounts/${id} with X-Strata-Position ${deposit.position} answered balance ${view.balance} at revision ${view.revision}; the deposit made it ${balance} at revision ${deposit.revision}`,
        );
      }
      withHeader.push(ms);
    } else {
      without.push(ms);
    }
  }
  const p99With = percentile(withHeader, 99);
  const p99Without = percentile(without, 99);
  context.log(
    `GET after a deposit, ${withHeader.length} of each: with X-Strata-Position p50 ${percentile(withHeader, 50).toFixed(2)} ms p99 ${p99With.toFixed(2)} ms; ` +
      `without p50 ${percentile(without, 50).toFixed(2)} ms p99 ${p99Without.toFixed(2)} ms`,
  );
  return [
    ceilingRow('7 read-your-writes p99 overhead', p99With - p99Without, 'ms', 10, p99Without),
    infoRow('7 GET p99 with X-Strata-Position', p99With, 'ms'),
    infoRow('7 GET p99 without X-Strata-Position', p99Without, 'ms'),
  ];
}

/** Opens `count` accounts over HTTP, a few at a time, and returns their ids. */
async function openAccounts(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const opened = await request<CommandResponse>(url, 'POST', '/accounts', { owner: `bench-${next}` });
      ids.push(opened.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, count) }, worker));
  return ids;
}

/** Waits until every projection has taken in the whole log, so one phase's backlog never weighs on the next. */
async function settle(app: NestFastifyApplication): Promise<void> {
  const head = await app.get(EventStore).headPosition();
  if (head === null) return;
  const outcome = await app.get(Projections).waitFor(head, undefined, 120_000);
  if (!outcome.reached) throw new Error(`projections ${outcome.behind.join(', ')} did not catch up with the log within 120 s`);
}

async function request<T>(url: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A run with any non-2xx answer or socket error measured something else: refuse it. */
function valid(what: string, result: LoadResult): LoadResult {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result.ok === 0) {
    throw new Error(
      `${what}: ${result.non2xx} non-2xx answers (${JSON.stringify(result.statuses)}), ${result.errors} errors, ${result.timeouts} timeouts in ${result.latencies.length} answers; the figure is invalid`,
    );
  }
  return result;
}

function describe(result: Pooled): string {
  return `${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (${result.answers} answers, all 2xx)`;
}

if (require.main === module) {
  const workDir = mkdtempSync(join(tmpdir(), 'strata-bench-http-'));
  figure
    .run({ quick: process.argv.includes('--quick'), workDir, log: (line) => process.stderr.write(`  ${line}\n`) })
    .then(
      (rows) => {
        for (const row of rows) {
          const against = row.baseline === null ? '' : ` (baseline ${row.baseline} ${row.unit}${row.ratio === null ? '' : `, ${row.ratio}x`})`;
          const verdict = row.met === null ? '' : row.met ? ' met' : ' MISSED';
          process.stdout.write(`${row.name}: ${row.value} ${row.unit}${against}, target ${row.target}${verdict}\n`);
        }
        process.stdout.write(`${ROWS_MARKER}${JSON.stringify(rows)}\n`);
      },
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    )
    .finally(() => rmSync(workDir, { recursive: true, force: true }));
}
