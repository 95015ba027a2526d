import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore, EventStore, verifyLog, type ParkedEvent } from '@strata/core';
import { PARKED_COLLECTION } from '@strata/core/adapter';
import type { BankOptions } from '../src/app.module';
import { spawnBank, waitUntilServing } from './bank-process';
import { BankTestApp } from './bank-test-app';
import { runCli } from './cli-process';
import { eventually } from './eventually';
import { Children, copyStore, damageEventsLeafPage, flipBytes, hasPrlimit, setFileSizeLimit, storeFile, tryMountTmpfs, unmount } from './store-files';

jest.setTimeout(600_000);

const root = mkdtempSync(join(tmpdir(), 'strata-storage-faults-'));
const children = new Children();
const folder = (name: string): string => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};
afterEach(() => children.killAll());
afterAll(() => {
  children.killAll();
  unmount(join(root, 'tmpfs'));
  rmSync(root, { recursive: true, force: true });
});

const onSqlite = (dir: string, extra: Record<string, string> = {}, autoStart = true): BankOptions => ({
  strata: { eventStore: 'sqlite', projections: { autoStart }, env: { STRATA_DATA_DIR: dir, STRATA_SQLITE_SYNCHRONOUS: 'NORMAL', ...extra } },
});

describe('a changed byte in a stored event (a copy of a store with one digit flipped)', () => {
  const original = folder('flip-original');
  const damaged = folder('flip-damaged');
  let account = '';

  beforeAll(async () => {
    // Projections off, so the damaged copy's projections meet the changed event for the first time.
    const app = await BankTestApp.start(onSqlite(original, {}, false));
    account = await app.openAccount('ada');
    expect((await app.deposit(account, 500)).status).toBe(200);
    expect((await app.deposit(account, 100)).status).toBe(200);
    await app.stop();
    copyStore(original, damaged);
    // 500 becomes 900: still valid JSON, and without a checksum a withdrawal of 700 would pass.
    flipBytes(storeFile(damaged), '"amount":500', '"amount":900');
  });

  it('refuses a command on its stream with a 500 EVENT_INTEGRITY_FAILED, folding nothing; the projection parks it, holds its stream behind it and goes on', async () => {
    const app = await BankTestApp.start(onSqlite(damaged));
    try {
      const refused = await app.withdraw(account, 700);
      expect(refused.status).toBe(500);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', status: 500 });
      // The position and the stream stay in the log; the client learns what happened, not where.
      expect(refused.json()['detail']).toMatch(/integrity check/);
      const documents = app.app.get(DocumentStore);
      const [parked, held] = await eventually('the accounts projection parked the damaged event and held the deposit after it', async () => {
        const records = await documents.collection<ParkedEvent>(PARKED_COLLECTION).find({ subscription: 'projection:accounts' }, { sort: { position: 1 } });
        return records.length === 2 ? records : undefined;
      });
      expect(parked).toMatchObject({ position: '0000000000000002', streamId: `Account-${account}`, revision: '1', attempts: 1, held: false });
      expect(parked?.error).toMatch(/checksum does not match/);
      expect(held).toMatchObject({ position: '0000000000000003', streamId: `Account-${account}`, revision: '2', attempts: 0, held: true });
      // The read model never took the changed event (nor 1000 nor 600), and the deposit after it waits behind it.
      expect((await app.get(`/accounts/${account}`)).json()).toMatchObject({ balance: 0, revision: 0 });
      // Another account is unaffected.
      const other = await app.openAccount('grace');
      expect((await app.deposit(other, 5)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it("'verify' exits 1 naming the damaged position; the original verifies clean", async () => {
    const bad = await runCli(['verify'], { STRATA_DATA_DIR: damaged });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^position 0000000000000002 \(stream 'Account-[0-9a-f-]+', revision 1\): its checksum does not match/m);
    expect(bad.stderr).toMatch(/verify found 1 problem/);
    const good = await runCli(['verify'], { STRATA_DATA_DIR: original });
    expect(good.stderr.trim().split('\n').pop()).not.toMatch(/problem/);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/verify: 3 events in 1 streams: every checksum matches/);
  });
});

describe('a damaged leaf page of the events table', () => {
  const original = folder('page-original');
  const damaged = folder('page-damaged');

  beforeAll(async () => {
    const app = await BankTestApp.start(onSqlite(original, {}, false));
    const account = await app.openAccount('ada');
    for (let i = 0; i < 150; i++) expect((await app.deposit(account, 1)).status).toBe(200);
    await app.stop();
    copyStore(original, damaged);
    damageEventsLeafPage(storeFile(damaged));
  });

  it('makes /health/ready a 503 saying why, never a 500, and verify names the unreadable positions', async () => {
    const app = await BankTestApp.start(onSqlite(damaged, { STRATA_READY_MAX_LAG_EVENTS: '10' }));
    try {
      const statuses = new Set<number>();
      const ready = await eventually('readiness turned 503', async () => {
        const reply = await app.get('/health/ready');
        statuses.add(reply.status);
        return reply.status === 503 ? reply : undefined;
      });
      expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
      expect(ready.body).toMatch(/subscriptions/);

      const result = await verifyLog(app.app.get(EventStore));
      const unreadable = result.problems.filter((problem) => /unreadable/.test(problem.reason));
      expect(unreadable.length).toBeGreaterThan(0);
      expect(unreadable.every((problem) => problem.position !== null && /^[0-9a-f]{16}$/.test(problem.position))).toBe(true);
      // The events before and after the damaged page were read: the scan went past it.
      expect(result.events + unreadable.length).toBeGreaterThanOrEqual(151);
      expect(result.problems.some((problem) => problem.position === null && /storage check/.test(problem.reason))).toBe(true);
    } finally {
      await app.stop();
    }
  });
});

describe('a truncated database file', () => {
  it('stops the start with one line that names the damage and advises a restore, not folder permissions', async () => {
    const original = folder('truncated-original');
    const truncated = folder('truncated');
    const app = await BankTestApp.start(onSqlite(original, {}, false));
    const account = await app.openAccount('ada');
    for (let i = 0; i < 100; i++) await app.deposit(account, 1);
    await app.stop();
    copyStore(original, truncated);
    truncateSync(storeFile(truncated), Math.floor(statSync(storeFile(truncated)).size / 2));

    const bank = children.track(await spawnBank({ STRATA_DATA_DIR: truncated }));
    expect(await bank.exited).toBe(1);
    const lines = bank.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bank failed to start: '.*strata\.db' is truncated: \d+ bytes, where its header records/);
    expect(lines[0]).toMatch(/restore <backup> --verify/);
    expect(lines[0]).not.toMatch(/permission|folder this process/);
  });
});

/**
 * How a test runs the bank out of room: a tmpfs it fills (ENOSPC, SQLite's SQLITE_FULL, a 507
 * STORAGE_FULL) where the machine lets it mount one, and a file-size limit on the bank's process
 * (RLIMIT_FSIZE set with prlimit: EFBIG, which SQLite reports as an I/O error, a 503
 * STORAGE_WRITE_FAILED), which needs no privilege. Node ignores SIGXFSZ, so the bank sees EFBIG
 * rather than being killed by the signal.
 */
interface DiskFullMode {
  readonly name: string;
  readonly dir: string;
  /** Why the mode cannot run here, or undefined when it can. */
  readonly unavailable: string | undefined;
  readonly refusal: { readonly status: number; readonly code: string };
  fill(bank: { readonly child: { readonly pid?: number | undefined } }): void;
  free(bank: { readonly child: { readonly pid?: number | undefined } }): void;
}

const tmpfsDir = folder('tmpfs');
const tmpfs: DiskFullMode = {
  name: 'a small tmpfs, filled',
  dir: tmpfsDir,
  unavailable: tryMountTmpfs(tmpfsDir, 3 * 1024) ? undefined : 'this machine does not let the test mount a tmpfs (it needs root)',
  refusal: { status: 507, code: 'STORAGE_FULL' },
  fill: () => {
    // Take every free block; the bank's next write that needs one fails.
    const fd = openSync(join(tmpfsDir, 'filler'), 'w');
    try {
      const chunk = Buffer.alloc(64 * 1024, 1);
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
  },
  free: () => rmSync(join(tmpfsDir, 'filler')),
};

const limitDir = folder('file-size-limit');
const fileSizeLimit: DiskFullMode = {
  name: 'a file-size limit on the process (RLIMIT_FSIZE)',
  dir: limitDir,
  unavailable: hasPrlimit() ? undefined : 'prlimit (util-linux) is not installed, so no file-size limit can be set on the bank',
  refusal: { status: 503, code: 'STORAGE_WRITE_FAILED' },
  // A write at any offset past the limit fails, an overwrite inside the file too: with a limit of
  // one byte every write fails, the readiness probe's small one included, as on a disk with no
  // block left. Only the soft limit: the test raises it again without privileges.
  fill: (bank) => setFileSizeLimit(bank.child.pid, 1),
  free: (bank) => setFileSizeLimit(bank.child.pid, 'unlimited'),
};

describe.each([tmpfs, fileSizeLimit])('a full disk ($name)', (mode) => {
  const title = `a write is a ${mode.refusal.status} ${mode.refusal.code} and readiness false; once space is freed readiness is true again and nothing acknowledged was lost`;
  (mode.unavailable === undefined ? it : it.skip)(mode.unavailable === undefined ? title : `SKIPPED: ${mode.unavailable}`, async () => {
    const bank = children.track(await spawnBank({ STRATA_DATA_DIR: mode.dir, LOG_LEVEL: 'silent' }));
    await waitUntilServing(bank, 240_000);
    const post = async (path: string, body: object) => {
      const response = await fetch(`${bank.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
    };
    const opened = await post('/accounts', { owner: 'ada' });
    expect(opened.status).toBe(201);
    const id = String(opened.body['id']);

    mode.fill(bank);
    let acknowledged = 0;
    let failed: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 20_000 && failed === undefined; i++) {
      const reply = await post(`/accounts/${id}/deposits`, { amount: 1 });
      if (reply.status === 200) acknowledged += 1;
      else failed = reply;
    }
    expect(failed).toMatchObject({ status: mode.refusal.status, retryAfter: expect.stringMatching(/^\d+$/) as unknown, body: { code: mode.refusal.code } });
    const notReady = await fetch(`${bank.url}/health/ready`);
    expect(notReady.status).toBe(503);
    const readiness = (await notReady.json()) as { details: Record<string, { status: string; message?: string }> };
    expect(readiness.details['storage']).toMatchObject({ status: 'down', message: expect.stringMatching(new RegExp(`^Writes fail: ${mode.refusal.code}`)) as unknown });

    mode.free(bank);
    await eventually('readiness came back once space was freed', async () => ((await fetch(`${bank.url}/health/ready`)).status === 200 ? true : undefined));
    const after = await post(`/accounts/${id}/deposits`, { amount: 1 });
    expect(after.status).toBe(200);
    acknowledged += 1;
    const view = await fetch(`${bank.url}/accounts/${id}`, { headers: { 'X-Strata-Position': String(after.body['position']) } });
    expect(((await view.json()) as { balance: number }).balance).toBe(acknowledged);
  });
});
