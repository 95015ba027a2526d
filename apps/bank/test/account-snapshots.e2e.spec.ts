import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDeciderToken, loadStream, STRATA_SNAPSHOTS, EventStore, type AggregateHandleOf, type Snapshots } from '@strata/core';
import { accountDecider } from '../src/accounts/account.decider';
import { BankTestApp, type Reply } from './bank-test-app';

/** One step of a script and how the bank answered it, without the ids and positions that differ between runs. */
type Answer = readonly [status: number, revision: unknown, code: unknown];

const answer = (reply: Reply): Answer => {
  const body = reply.json<{ revision?: unknown; code?: unknown }>();
  return [reply.status, body.revision ?? null, body.code ?? null];
};

const snapshotsOf = (bank: BankTestApp): Snapshots | null => bank.app.get<Snapshots | null>(STRATA_SNAPSHOTS);

/**
 * A busy account: an early idempotent deposit, 150 deposits and withdrawals (some refused), the
 * early deposit repeated, then draining it and closing it. Returns every answer in order.
 */
async function busyAccount(bank: BankTestApp): Promise<{ id: string; answers: Answer[] }> {
  const id = await bank.openAccount();
  const key = randomUUID();
  const answers: Answer[] = [answer(await bank.deposit(id, 70, { 'Idempotency-Key': key }))];
  for (let n = 1; n <= 150; n++) {
    answers.push(answer(n % 7 === 0 ? await bank.withdraw(id, 9 * n) : await bank.deposit(id, n)));
  }
  answers.push(answer(await bank.deposit(id, 70, { 'Idempotency-Key': key })));
  answers.push(answer(await bank.close(id)));
  const balance = (await bank.get(`/accounts/${id}`, (await bank.deposit(id, 1)).json<{ position: string }>().position)).json<{ balance: number }>().balance;
  answers.push(answer(await bank.withdraw(id, balance)), answer(await bank.close(id)));
  return { id, answers };
}

describe('account snapshots over HTTP (memory event store)', () => {
  let withSnapshots: BankTestApp;
  let without: BankTestApp;

  beforeAll(async () => {
    withSnapshots = await BankTestApp.start();
    without = await BankTestApp.start({ strata: { snapshotStore: false } });
  });
  afterAll(async () => {
    await Promise.all([withSnapshots.stop(), without.stop()]);
  });

  it('answers a busy account exactly as the bank without snapshots does', async () => {
    expect(snapshotsOf(without)).toBeNull();
    const [a, b] = [await busyAccount(withSnapshots), await busyAccount(without)];
    expect(a.answers).toEqual(b.answers);
    // The repeat of the early deposit answered its first result: revision 1, nothing appended.
    expect(a.answers[151]).toEqual([200, 1, null]);
    expect(a.answers.slice(-2)).toEqual([
      [200, expect.any(Number), null],
      [200, expect.any(Number), null],
    ]);

    const snapshots = snapshotsOf(withSnapshots);
    await snapshots?.drain();
    const snapshot = await snapshots?.store.load(`Account-${a.id}`);
    expect(snapshot?.revision).toBeGreaterThanOrEqual(99n);
    const handle = withSnapshots.app.get<AggregateHandleOf<typeof accountDecider>>(getDeciderToken(accountDecider));
    const fromSnapshot = await handle.load(a.id);
    expect(fromSnapshot.snapshotRevision).toBe(snapshot?.revision);
    const full = await loadStream(withSnapshots.app.get(EventStore), accountDecider, `Account-${a.id}`);
    expect(fromSnapshot.state).toEqual(full.state);
    expect(fromSnapshot.revision).toBe(full.revision);
    expect(full.state).toMatchObject({ status: 'closed', balance: 0 });
  });
});

describe('account snapshots over HTTP (sqlite event store)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bank-snapshots-'));
  const start = (): Promise<BankTestApp> => BankTestApp.start({ strata: { eventStore: 'sqlite', env: { STRATA_DATA_DIR: dataDir, STRATA_SQLITE_SYNCHRONOUS: 'NORMAL' } } });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps snapshots in the file across a restart, and a repeat of an early command still answers its first result', async () => {
    let bank = await start();
    const id = await bank.openAccount();
    const key = randomUUID();
    const first = await bank.deposit(id, 5, { 'Idempotency-Key': key });
    for (let n = 0; n < 120; n++) expect((await bank.deposit(id, 1)).status).toBe(200);
    await bank.stop(); // drains the snapshot queue before the stores close

    bank = await start();
    try {
      const handle = bank.app.get<AggregateHandleOf<typeof accountDecider>>(getDeciderToken(accountDecider));
      const loaded = await handle.load(id);
      expect(loaded.snapshotRevision).toBeGreaterThanOrEqual(99n);
      expect(loaded).toMatchObject({ state: { status: 'open', balance: 125 }, revision: 121n });
      const again = await bank.deposit(id, 5, { 'Idempotency-Key': key });
      expect(again.status).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await bank.eventsOf(id)).toHaveLength(122);
    } finally {
      await bank.stop();
    }
  });
});
