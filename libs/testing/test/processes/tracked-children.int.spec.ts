import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnTrackedNode, trackedChildren } from '../../src/processes/tracked-children';

const root = join(__dirname, '..', '..', '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `pid` is gone; true if it went within `timeoutMs`. */
async function gone(pid: number, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

function exited(child: ReturnType<typeof spawnTrackedNode>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('children spawned by tests never outlive them', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-children-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills the child of a test that timed out once its file is done, and jest reports the timeout', async () => {
    const pidFile = join(dir, 'timed-out.pid');
    const jest = spawnTrackedNode(
      [require.resolve('jest/bin/jest'), '--config', 'jest.config.ts', '--runInBand', '--ci', '--testMatch', '<rootDir>/libs/testing/test/processes/times-out.fixture.ts'],
      { cwd: root, env: { ...process.env, STRATA_TEST_PID_FILE: pidFile }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    jest.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    jest.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    expect(await exited(jest)).toBe(1);
    expect(output).toMatch(/Exceeded timeout of 2000 ms/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  }, 240_000);

  it('has a child exit by itself when its parent is SIGKILLed and can clean nothing up', async () => {
    const parent = spawnTrackedNode(['-r', 'ts-node/register', join(__dirname, 'spawns-and-waits.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      let text = '';
      parent.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const match = /child (\d+)/.exec(text);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited with ${code} before spawning`)));
    });
    expect(alive(pid)).toBe(true);
    const parentGone = exited(parent);
    parent.kill('SIGKILL');
    await parentGone;
    expect(await gone(pid)).toBe(true);
    // The registry forgets children once they exit.
    expect(trackedChildren()).not.toContain(parent);
  }, 120_000);
});
