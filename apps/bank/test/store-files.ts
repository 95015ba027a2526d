import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export { damageEventsLeafPage } from '../../../libs/sqlite/test/damage';

/** The embedded store's file in a data folder. */
export const storeFile = (dir: string): string => join(dir, 'strata.db');

/** Copies a closed store (its WAL folded in on close) into another data folder. */
export function copyStore(from: string, to: string): void {
  copyFileSync(storeFile(from), storeFile(to));
  if (existsSync(`${storeFile(from)}-wal`)) copyFileSync(`${storeFile(from)}-wal`, `${storeFile(to)}-wal`);
}

/** Replaces the one occurrence of `from` in the file's bytes with `to` (same length), as a flipped digit on disk would. */
export function flipBytes(file: string, from: string, to: string): number {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(from, 0, 'latin1');
  if (at < 0 || bytes.indexOf(from, at + 1, 'latin1') >= 0 || from.length !== to.length) throw new Error(`'${from}' must occur exactly once in ${file}`);
  bytes.write(to, at, 'latin1');
  writeFileSync(file, bytes);
  return at;
}

/** Mounts a tmpfs of `sizeKiB` at `dir`; false where this machine does not let the test (not root, no mount). */
export function tryMountTmpfs(dir: string, sizeKiB: number): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether util-linux's prlimit is on the PATH, to set a running process's file-size limit. */
export function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Sets the soft file-size limit (RLIMIT_FSIZE) of process `pid` to `bytes`, leaving the hard limit
 * alone so it can be raised again without privileges. A write past it fails with EFBIG.
 */
export function setFileSizeLimit(pid: number | undefined, bytes: number | 'unlimited'): void {
  if (pid === undefined) throw new Error('the process has no pid: it did not start');
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${bytes}:`], { stdio: 'pipe' });
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    // Not mounted (the mount failed, or a previous attempt already unmounted it).
  }
}

/** Every child a test starts, so it is killed however the test ends (failure, timeout). */
export class Children {
  private readonly running = new Set<ChildProcess>();

  track<T extends { readonly child: ChildProcess }>(process: T): T {
    this.running.add(process.child);
    process.child.once('exit', () => this.running.delete(process.child));
    return process;
  }

  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
  }
}
