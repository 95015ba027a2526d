import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { seedBankLog } from '../bank-log';
import { ceilingRow, infoRow, percentile, type Figure } from '../harness';

// How long an operator waits for `npm run cli -- parked list` on a small store, beside what any
// Node process and any Nest app pay to start on this machine at this moment: the same rounds,
// interleaved, so a busy machine slows all three alike.

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'apps', 'bank', 'cli.js');
const SMALL_STORE_EVENTS = 1_000;

/** A Nest application context with one empty module: the least a Nest CLI can start. */
const BARE_NEST = `require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
class Empty {}
Module({})(Empty);
NestFactory.createApplicationContext(Empty, { logger: false }).then((app) => app.close());`;

function timed(args: readonly string[], env: NodeJS.ProcessEnv, expect?: RegExp): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  const elapsed = performance.now() - started;
  if (run.status !== 0 || (expect && !expect.test(run.stdout))) {
    throw new Error(`node ${args.join(' ').slice(0, 60)} failed (exit ${String(run.status)}): ${run.stderr.trim() || run.stdout.trim()}`);
  }
  return elapsed;
}

export const figure: Figure = {
  id: 'cli',
  title: 'CLI start: parked list on a small store',
  async run({ quick, workDir, log }) {
    log('building (tsc -b tsconfig.build.json): the CLI runs compiled code, as npm run cli does');
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0 || !existsSync(CLI)) throw new Error(`the build failed: ${build.stdout}${build.stderr}`);

    const dataDir = join(workDir, 'data');
    await seedBankLog(join(dataDir, 'strata.db'), SMALL_STORE_EVENTS);
    const env = { ...process.env, STRATA_DATA_DIR: dataDir, STRATA_EVENT_STORE: 'sqlite', STRATA_READ_STORE: 'sqlite', NODE_ENV: 'production' };
    const rounds = quick ? 3 : 7;
    const load = loadavg()[0] ?? 0;
    log(`${rounds} interleaved rounds; load average ${load.toFixed(2)} (1 min)`);
    // One unmeasured run: the file cache holds the modules and the store has its schema.
    timed([CLI, 'parked', 'list'], env);
    const samples = { node: [] as number[], nest: [] as number[], cli: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      samples.node.push(timed(['-e', '0'], env));
      samples.nest.push(timed(['-e', BARE_NEST], env));
      samples.cli.push(timed([CLI, 'parked', 'list'], env, /no parked events/));
      log(`round ${round + 1}: node ${samples.node.at(-1)?.toFixed(0)} ms, bare Nest ${samples.nest.at(-1)?.toFixed(0)} ms, parked list ${samples.cli.at(-1)?.toFixed(0)} ms`);
    }
    const [node, nest, cli] = [percentile(samples.node, 50), percentile(samples.nest, 50), percentile(samples.cli, 50)];
    return [
      infoRow('node -e 0, median', node, 'ms'),
      infoRow('bare Nest application context, start and close, median (baseline: node -e 0)', nest, 'ms', node),
      ceilingRow(`parked list on ${SMALL_STORE_EVENTS} events, median (baseline: bare Nest)`, cli, 'ms', 3000, nest),
      infoRow('load average, 1 min, at the start', load, 'runnable'),
    ];
  },
};
