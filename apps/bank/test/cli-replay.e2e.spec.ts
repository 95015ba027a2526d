import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Position, type ProjectionOverview } from '@strata/core';
import { LEASES_COLLECTION, projectionCheckpointName, requireProjectionOptions, versionedCollection, type LeaseDocument } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { AccountTransactionsProjection } from '../src/accounts/projections/account-transactions.projection';
import { AccountsProjection } from '../src/accounts/projections/accounts.projection';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';
import { runCli, spawnCli } from './cli-process';
import { collectionsOf, hashReadModel, rebuildInMemory } from './read-model-hash';

const PROJECTIONS = [AccountsProjection, AccountTransactionsProjection];
/** Each projection's checkpoint (and lease) name, by its version. */
const SUBSCRIPTIONS = PROJECTIONS.map((projection) => {
  const { name, version } = requireProjectionOptions(projection);
  return [name, projectionCheckpointName(name, version)] as const;
});
const COLLECTIONS = collectionsOf(PROJECTIONS);
/** Where the version of account-transactions in this code keeps its transactions. */
const TRANSACTIONS = versionedCollection('transactions', requireProjectionOptions(AccountTransactionsProjection).version);
const ACCOUNTS = 60;
const DEPOSITS = 12;

const dataDir = mkdtempSync(join(tmpdir(), 'strata-cli-replay-'));
const filename = join(dataDir, 'strata.db');
// Small replay batches make a rebuild of this log take many units of work, so writes and a
// kill land in the middle of it; progress lines every 100 ms show where it is.
const env = { STRATA_DATA_DIR: dataDir, STRATA_SQLITE_SYNCHRONOUS: 'NORMAL', STRATA_REPLAY_BATCH_SIZE: '5', STRATA_CLI_PROGRESS_MS: '100' };

let bank: BankProcess;
let observer: SqliteDocumentStore;
let accountIds: string[] = [];

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${bank.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function deposit(accountId: string, amount: number): Promise<Position> {
  const reply = await post(`/accounts/${accountId}/deposits`, { amount });
  if (reply.status !== 200) throw new Error(`deposit answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body['position'] as Position;
}

/** Waits until the app's projections have reached the head of the log. */
async function caughtUp(): Promise<Position> {
  const events = SqliteEventStore.open({ filename });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const head = (await events.headPosition()) as Position;
      const checkpoints = await Promise.all(SUBSCRIPTIONS.map(([, subscription]) => observer.getCheckpoint(subscription)));
      if (checkpoints.every((checkpoint) => checkpoint === head)) return head;
      if (Date.now() > deadline) throw new Error(`the app did not catch up to ${head}: ${JSON.stringify(checkpoints)}\n${bank.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await events.close();
  }
}

/** Waits until the app holds the projections' leases again, as it does soon after a replay releases them. */
async function resumed(): Promise<void> {
  const leases = observer.collection<LeaseDocument>(LEASES_COLLECTION);
  const deadline = Date.now() + 30_000;
  for (const [name, subscription] of SUBSCRIPTIONS) {
    while (!(await leases.findOne({ _id: subscription }))?.owner) {
      if (Date.now() > deadline) throw new Error(`the app did not take the lease of '${name}' back:\n${bank.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function freshRebuildHash(): Promise<string> {
  const events = SqliteEventStore.open({ filename });
  try {
    return await hashReadModel(await rebuildInMemory(events, PROJECTIONS), COLLECTIONS);
  } finally {
    await events.close();
  }
}

beforeAll(async () => {
  bank = await spawnBank(env);
  await waitUntilServing(bank, 60_000);
  observer = SqliteDocumentStore.open({ filename });
  for (let n = 0; n < ACCOUNTS; n++) {
    const opened = await post('/accounts', { owner: `owner-${n % 5}` });
    accountIds.push(String(opened.body['id']));
  }
  // Eight writers at a time, as concurrent clients would.
  const work = accountIds.flatMap((id) => Array.from({ length: DEPOSITS }, (_, n) => () => deposit(id, n + 1)));
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let next = work.shift(); next; next = work.shift()) await next();
  }));
  await caughtUp();
  // Starting the bank and writing the history over HTTP take minutes on a busy machine.
}, 300_000);

afterAll(async () => {
  await observer?.close();
  if (bank && bank.child.exitCode === null) {
    bank.child.kill('SIGTERM');
    await bank.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
  accountIds = [];
});

describe('projections replay, as a CLI process beside the running bank', () => {
  it('rebuilds a read model whose hash equals the live one, and lists the projections as JSON', async () => {
    const live = await hashReadModel(observer, COLLECTIONS);
    const replay = await runCli(['projections', 'replay', 'accounts', 'account-transactions'], env);
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.stdout).toMatch(/^accounts: rebuilt v1 from [\d,]+ events in .* and swapped in at [0-9a-f]{16}$/m);
    expect(replay.stderr).toMatch(/accounts: \d+%/);
    expect(await hashReadModel(observer, COLLECTIONS)).toBe(live);
    expect(live).toBe(await freshRebuildHash());

    const head = await caughtUp();
    await resumed();
    const list = await runCli(['projections', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as ProjectionOverview[];
    for (const [name, version] of [['account-transactions', 2], ['accounts', 1]] as const) {
      expect(rows.find((row) => row.name === name)).toEqual({
        name,
        version,
        inCode: true,
        state: 'live',
        checkpoint: head,
        head,
        lag: 0,
        parked: 0,
        runBy: expect.stringMatching(/^.+:\d+:[0-9a-f]+:[0-9a-f]{8}$/) as unknown,
        servedBy: [expect.stringContaining(`:${bank.child.pid}:`) as unknown],
        lastError: null,
      });
    }
  }, 120_000);

  it('loses no event written over HTTP while it rebuilds, and ends equal to a fresh rebuild', async () => {
    const acknowledged: { position: Position; at: number }[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let n = 0; writing; n++) {
        const accountId = accountIds[(writer * 7 + n) % accountIds.length] as string;
        acknowledged.push({ position: await deposit(accountId, 1), at: Date.now() });
      }
    });
    const replay = spawnCli(['projections', 'replay', '--all'], env);
    let rebuildingSince = 0;
    const watch = setInterval(() => {
      if (!rebuildingSince && /accounts: \d+%/.test(replay.stderr())) rebuildingSince = Date.now();
    }, 10);
    const outcome = await replay.done;
    clearInterval(watch);
    const finishedAt = Date.now();
    writing = false;
    await Promise.all(writers);
    expect({ ...outcome, stderr: outcome.code === 0 ? "" : replay.stderr() }).toMatchObject({ code: 0 });
    // The point of the test: appends were acknowledged while the shadows were being built.
    expect(acknowledged.filter(({ at }) => rebuildingSince > 0 && at > rebuildingSince && at < finishedAt).length).toBeGreaterThan(0);

    await caughtUp();
    expect(await hashReadModel(observer, COLLECTIONS)).toBe(await freshRebuildHash());
    // Every acknowledged deposit is in the rebuilt-then-followed read model.
    const transactions = observer.collection(TRANSACTIONS);
    const missing: Position[] = [];
    for (const { position } of acknowledged) if (!(await transactions.findOne({ _id: position }))) missing.push(position);
    expect(missing).toEqual([]);
  }, 120_000);

  it('leaves the live read model untouched when killed with SIGKILL mid-replay, and completes when run again', async () => {
    const before = await hashReadModel(observer, COLLECTIONS);
    const replay = spawnCli(['projections', 'replay', 'account-transactions'], { ...env, STRATA_REPLAY_BATCH_SIZE: '2' });
    const deadline = Date.now() + 60_000;
    // Mid-replay: progress printed and both shadows written to (each is made at its first write).
    const midReplay = async () =>
      /account-transactions: \d+%/.test(replay.stderr()) && (await observer.listCollections()).includes(`${TRANSACTIONS}__shadow`);
    while (!(await midReplay())) {
      if (replay.child.exitCode !== null || Date.now() > deadline) throw new Error(`no progress from the replay:\n${replay.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    replay.child.kill('SIGKILL');
    expect((await replay.done).code).toBeNull();
    expect(await observer.listCollections()).toContain(`${TRANSACTIONS}__shadow`);
    expect(await hashReadModel(observer, COLLECTIONS)).toBe(before);

    await resumed();
    const list = JSON.parse((await runCli(['projections', 'list', '--json'], env)).stdout) as ProjectionOverview[];
    expect(list.find((row) => row.name === 'account-transactions')?.state).toBe('live');

    const again = await runCli(['projections', 'replay', 'account-transactions'], env);
    expect(again).toMatchObject({ code: 0 });
    expect((await observer.listCollections()).filter((name) => name.endsWith('__shadow'))).toEqual([]);
    expect(await hashReadModel(observer, COLLECTIONS)).toBe(before);
    expect(before).toBe(await freshRebuildHash());
  }, 120_000);
});
