import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

/** The preload that makes a Node child exit when the process that spawned it dies. */
export const EXIT_WITH_PARENT = join(__dirname, 'exit-with-parent.js');

const running = new Set<ChildProcess>();

/**
 * Spawns a Node script (`node ...nodeArgs`) that cannot outlive this process: it is tracked
 * until it exits, killed by `killTrackedChildren` (which the jest setup runs after every test
 * file, so a test that fails or times out leaves nothing behind), killed when this process
 * exits, and, through a lifeline pipe on fd 3, exits by itself when this process dies without
 * a chance to clean up (SIGKILL, a jest worker torn down).
 */
export function spawnTrackedNode(nodeArgs: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const stdio = normalisedStdio(options.stdio);
  const child = spawn(process.execPath, ['-r', EXIT_WITH_PARENT, ...nodeArgs], { ...options, stdio: [...stdio, 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Spawning failed (no such file, say): nothing runs, nothing to track.
  child.once('error', () => running.delete(child));
  return child;
}

/** The children spawned through `spawnTrackedNode` that have not exited yet. */
export function trackedChildren(): readonly ChildProcess[] {
  return [...running];
}

/** Kills every tracked child still running (SIGKILL by default) and waits, bounded, until each has exited. */
export async function killTrackedChildren(signal: NodeJS.Signals = 'SIGKILL', waitMs = 10_000): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(resolve, waitMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill(signal);
        }),
    ),
  );
}

// The last resort for a parent that exits normally (process.exit included): signals only, as
// nothing asynchronous runs any more.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function normalisedStdio(stdio: SpawnOptions['stdio']): readonly ('pipe' | 'ignore' | 'inherit' | 'overlapped' | number | null | undefined)[] {
  if (stdio === undefined || typeof stdio === 'string') {
    const each = stdio ?? 'pipe';
    return [each, each, each];
  }
  // Only the first three; fd 3 is the lifeline.
  return stdio.slice(0, 3) as ('pipe' | 'ignore' | 'inherit' | number | null | undefined)[];
}
