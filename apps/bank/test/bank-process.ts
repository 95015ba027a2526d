import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawnTrackedNode } from '@strata/testing/processes';

const root = join(__dirname, '..', '..', '..');

/** The bank running as its own Node process, compiled (`dist/apps/bank/main.js`), as `npm start` runs it. */
export interface BankProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the bank with `env` on a free port, without waiting for it to listen. It is killed
 * after the test file even if the test fails or times out, and exits if the test process dies.
 */
export async function spawnBank(env: Record<string, string>): Promise<BankProcess> {
  return spawnService(join(root, 'dist/apps/bank/main.js'), root, await freePort(), { NODE_ENV: 'test', ...env });
}

/** Starts a compiled Node service listening on 127.0.0.1:`port`, collecting what it prints. */
export function spawnService(script: string, cwd: string, port: number, env: Record<string, string>): BankProcess {
  const child = spawnTrackedNode([script], {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** Polls until the bank answers HTTP, or fails with what it printed. */
export async function waitUntilServing(bank: BankProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (bank.child.exitCode !== null) throw new Error(`bank exited with ${bank.child.exitCode}:\n${bank.output()}`);
    try {
      await fetch(`${bank.url}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`bank did not answer within ${timeoutMs} ms:\n${bank.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
