import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTrackedNode } from '@strata/testing/processes';

export interface Writer {
  readonly child: ChildProcess;
  /** Event ids the child printed as acknowledged, in order. */
  readonly acked: string[];
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
}

/** Starts append-writer.ts in its own Node process (through ts-node, as the repo is TypeScript); tracked, so it never outlives the test. */
export function spawnWriter(args: readonly string[]): Writer {
  const root = join(__dirname, '..', '..', '..');
  const child = spawnTrackedNode(['-r', 'ts-node/register', join(__dirname, 'append-writer.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: string[] = [];
  let buffer = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
  });
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acked, exited, stderr: () => errors };
}

/** Resolves once `writer` has acknowledged at least `count` appends. */
export async function waitForAcks(writer: Writer, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (writer.acked.length < count) {
    if (Date.now() > deadline) throw new Error(`writer acknowledged ${writer.acked.length}/${count}: ${writer.stderr()}`);
    if (writer.child.exitCode !== null) throw new Error(`writer exited early: ${writer.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
