import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTrackedNode } from '@strata/testing/processes';

const root = join(__dirname, '..', '..', '..');

/** How a CLI run ended, with everything it printed. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The bank CLI running as its own process, compiled, as `npm run cli -- ...` starts it. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly done: Promise<CliRun>;
  stderr(): string;
}

/**
 * Starts the compiled CLI (`dist/apps/bank/cli.js`, built by the test run's global setup) with `args`
 * and `env` on top of this process's environment; tracked, so it never outlives the test.
 */
export function spawnCli(args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawnTrackedNode([join(root, 'dist/apps/bank/cli.js'), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

/** Runs the CLI to its end. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return spawnCli(args, env).done;
}
