import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Position, ProjectionOverview } from '@strata/core';
import { projectionCheckpointName } from '@strata/core/adapter';
import { SqliteDocumentStore } from '@strata/sqlite';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';
import { runCli } from './cli-process';
import { hashReadModel } from './read-model-hash';

const dataDir = mkdtempSync(join(tmpdir(), 'strata-blue-green-'));
const filename = join(dataDir, 'strata.db');
const env = { STRATA_DATA_DIR: dataDir, STRATA_SQLITE_SYNCHRONOUS: 'NORMAL' };
const V1 = { ...env, BANK_ACCOUNTS_VERSION: '1' };
const V2 = { ...env, BANK_ACCOUNTS_VERSION: '2' };

const banks: BankProcess[] = [];
let observer: SqliteDocumentStore;
let accountIds: string[] = [];

async function start(settings: Record<string, string>): Promise<BankProcess> {
  const bank = await spawnBank(settings);
  banks.push(bank);
  await waitUntilServing(bank, 120_000);
  return bank;
}

async function stop(bank: BankProcess): Promise<void> {
  if (bank.child.exitCode === null) bank.child.kill('SIGTERM');
  await bank.exited;
}

async function send(bank: BankProcess, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${bank.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Reads an account from `bank`, waiting (read-your-writes) until its projections have reached `position`. */
async function account(bank: BankProcess, id: string, position: Position): Promise<Record<string, unknown>> {
  const response = await fetch(`${bank.url}/accounts/${id}`, { headers: { 'X-Strata-Position': position } });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`GET /accounts/${id} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Opens an account through `bank` and reads it back from the same bank. */
async function openAndRead(bank: BankProcess, owner: string): Promise<Record<string, unknown>> {
  const opened = await send(bank, '/accounts', { owner });
  if (opened.status !== 201) throw new Error(`POST /accounts answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  return account(bank, String(opened.body['id']), opened.body['position'] as Position);
}

/** Deposits through every bank still running, two clients each, until `stop` is called; counts what was acknowledged. */
function writeLoad(targets: () => readonly BankProcess[]): { stop: () => Promise<number> } {
  let writing = true;
  let acknowledged = 0;
  const clients = Array.from({ length: 4 }, async (_, client) => {
    for (let n = 0; writing; n++) {
      const running = targets().filter((bank) => bank.child.exitCode === null);
      const bank = running[(client + n) % Math.max(1, running.length)];
      if (!bank) break;
      try {
        const reply = await send(bank, `/accounts/${accountIds[(client * 5 + n) % accountIds.length]}/deposits`, { amount: 1 });
        if (reply.status === 200) acknowledged += 1;
      } catch {
        // A bank that is shutting down refuses connections; the next write goes to another.
      }
    }
  });
  return {
    stop: async () => {
      writing = false;
      await Promise.all(clients);
      return acknowledged;
    },
  };
}

const shape = (document: Record<string, unknown>) => Object.keys(document).sort();
const V1_SHAPE = ['balance', 'id', 'owner', 'revision', 'status'];
const V2_SHAPE = ['balance', 'id', 'lastActivityAt', 'owner', 'revision', 'status'];

async function listed(settings: Record<string, string>): Promise<ProjectionOverview[]> {
  const list = await runCli(['projections', 'list', '--json'], settings);
  if (list.code !== 0) throw new Error(`projections list exited ${list.code}: ${list.stderr}`);
  return (JSON.parse(list.stdout) as ProjectionOverview[]).filter((row) => row.name === 'accounts');
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterAll(async () => {
  await observer?.close();
  await Promise.all(banks.map(stop));
  rmSync(dataDir, { recursive: true, force: true });
  accountIds = [];
});

// Two bank processes of one build, differing in the accounts projection's version (2 adds
// `lastActivityAt`), on one SQLite file, under a steady load of deposits through both.
describe('blue-green: two accounts projection versions on one store', () => {
  let v1: BankProcess;
  let v2: BankProcess;

  beforeAll(async () => {
    v1 = await start(V1);
    observer = SqliteDocumentStore.open({ filename });
    for (let n = 0; n < 10; n++) accountIds.push(String((await openAndRead(v1, `owner-${n}`))['id']));
  }, 300_000);

  it('serves each version its own shape, a rollback serves v1 again, and no lease move rebuilds', async () => {
    const load = writeLoad(() => banks);
    v2 = await start(V2);
    // Each process's own write, read back from the same process, in its own version's shape.
    expect(shape(await openAndRead(v1, 'blue'))).toEqual(V1_SHAPE);
    expect(shape(await openAndRead(v2, 'green'))).toEqual(V2_SHAPE);
    // Ready once its read model caught up (other projections' lag under load may take a moment too).
    let readiness = '';
    await eventually(async () => {
      const ready = await fetch(`${v2.url}/health/ready`);
      readiness = await ready.text();
      return ready.status === 200;
    }, 'v2 reports ready').catch((error: Error) => {
      throw new Error(`${error.message}; it last said ${readiness}`);
    });

    // v1 stops: v2 carries on with its own model; v1's stays as v1 left it, nobody rebuilds or swaps it.
    await stop(v1);
    const v1Checkpoint = await observer.getCheckpoint(projectionCheckpointName('accounts', 1));
    const v1Model = await hashReadModel(observer, ['accounts']);
    expect(shape(await openAndRead(v2, 'green-alone'))).toEqual(V2_SHAPE);
    expect(await observer.getCheckpoint(projectionCheckpointName('accounts', 1))).toBe(v1Checkpoint);
    expect(await hashReadModel(observer, ['accounts'])).toBe(v1Model);

    // Rollback: v1 restarted beside v2 serves v1's shape, its own writes included, resuming from its checkpoint.
    const v1Again = await start(V1);
    expect(shape(await openAndRead(v1Again, 'blue-again'))).toEqual(V1_SHAPE);
    expect(shape(await openAndRead(v2, 'green-again'))).toEqual(V2_SHAPE);
    const acknowledged = await load.stop();
    expect(acknowledged).toBeGreaterThan(0);

    const collections = await observer.listCollections();
    expect(collections.filter((collection) => collection.endsWith('__shadow'))).toEqual([]);
    expect(collections).toEqual(expect.arrayContaining(['accounts', 'accounts__v2']));
    for (const bank of [v1, v2, v1Again]) expect(bank.output()).not.toMatch(/rebuil/i);
    v1 = v1Again;
  }, 600_000);

  it('lists both versions with the instances serving them, and retires v1 only once nothing serves it', async () => {
    await eventually(async () => (await listed(V2)).every((row) => row.servedBy.length === 1 && row.lag === 0), 'both versions are served and caught up');
    const rows = await listed(V2);
    expect(rows.map((row) => [row.version, row.inCode, row.state])).toEqual([
      [1, false, 'live'],
      [2, true, 'live'],
    ]);
    expect(rows[0]?.servedBy[0]).toContain(`:${v1.child.pid}:`);
    expect(rows[1]?.servedBy[0]).toContain(`:${v2.child.pid}:`);

    const refused = await runCli(['projections', 'retire', 'accounts', '--version', '1'], V2);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`:${v1.child.pid}:`);
    expect(await observer.collection('accounts').countDocuments()).toBeGreaterThan(0);

    await stop(v1);
    const retired = await runCli(['projections', 'retire', 'accounts', '--version', '1'], V2);
    expect(retired).toMatchObject({ code: 0, stdout: 'accounts: retired v1; dropped accounts; its checkpoint is gone.\n' });
    expect(await observer.listCollections()).not.toContain('accounts');
    expect(await observer.getCheckpoint(projectionCheckpointName('accounts', 1))).toBeNull();
    expect((await listed(V2)).map((row) => row.version)).toEqual([2]);
    expect(shape(await openAndRead(v2, 'after-retire'))).toEqual(V2_SHAPE);

    const unknown = await runCli(['projections', 'retire', 'accounts', '--version', '7'], V2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Projection 'accounts' has no v7 in this store. Versions present: v2.");
  }, 300_000);
});
