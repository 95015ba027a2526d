import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParkedEvents, DocumentStore, type ParkedSequence } from '@strata/core';
import type { BankOptions } from '../src/app.module';
import { BankTestApp } from './bank-test-app';
import { runCli } from './cli-process';
import { eventually } from './eventually';
import { flipBytes, storeFile } from './store-files';

jest.setTimeout(300_000);

const dir = mkdtempSync(join(tmpdir(), 'strata-parked-order-'));
const env = { STRATA_DATA_DIR: dir };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const onSqlite = (autoStart: boolean): BankOptions => ({
  strata: { eventStore: 'sqlite', projections: { autoStart }, env: { ...env, STRATA_SQLITE_SYNCHRONOUS: 'NORMAL' } },
});

/**
 * A poison deposit (its stored bytes changed, so its checksum fails) and two more deposits on
 * the same account: the accounts projection parks the poison one and holds the later ones
 * behind it, while another account goes on. Once the stored event is restored, `parked retry`
 * applies the three in order, and the account's balance and revision are right. Applied out of
 * order, the later deposits would have moved the revision past the poison one, and the
 * projection's revision guard would have made its retry do nothing.
 */
describe('a poison deposit followed by more deposits on the same account', () => {
  let account = '';
  let other = '';

  beforeAll(async () => {
    // Projections off: they meet the poison deposit for the first time on the next start.
    const app = await BankTestApp.start(onSqlite(false));
    try {
      account = await app.openAccount('ada');
      for (const amount of [500, 100, 20]) expect((await app.deposit(account, amount)).status).toBe(200);
      other = await app.openAccount('grace');
      expect((await app.deposit(other, 7)).status).toBe(200);
    } finally {
      await app.stop();
    }
    // 500 reads as 900: the checksum no longer matches, so no projection can apply it.
    flipBytes(storeFile(dir), '"amount":500', '"amount":900');
  });

  it('holds the later deposits behind the parked one while another account goes on', async () => {
    const app = await BankTestApp.start(onSqlite(true));
    try {
      const parked = new ParkedEvents(app.app.get(DocumentStore));
      const [sequence] = await eventually('the accounts projection parked the deposit and held the two after it', async () => {
        const found = await parked.sequences('projection:accounts');
        return found[0]?.events.length === 3 ? found : undefined;
      });
      expect(sequence?.partition).toBe(`Account-${account}`);
      expect(sequence?.events.map((event) => [event.revision, event.held === true ? 'held' : 'failed'])).toEqual([
        ['1', 'failed'],
        ['2', 'held'],
        ['3', 'held'],
      ]);
      const view = await eventually<Record<string, unknown>>('the other account is projected', async () => {
        const reply = await app.get(`/accounts/${other}`);
        return reply.status === 200 && reply.json()['revision'] === 1 ? reply.json() : undefined;
      });
      expect(view['balance']).toBe(7);
      // The account stops before the poison deposit: no later deposit jumped the queue.
      expect((await app.get(`/accounts/${account}`)).json()).toMatchObject({ balance: 0, revision: 0 });
    } finally {
      await app.stop();
    }
  });

  it("'parked list' shows the sequence; after the event is restored, 'parked retry' applies it in order and the balance and revision are right", async () => {
    const table = await runCli(['parked', 'list', '--projection', 'accounts'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^PARTITION +# +ID +EVENT +STREAM +STATE +ATTEMPTS +PARKED AT +ERROR$/m);
    const rows = table.stdout.trimEnd().split('\n').slice(1);
    expect(rows.map((row) => row.split(/ {2,}/).slice(0, 6))).toEqual([
      [`Account-${account}`, '1', expect.stringMatching(/^projection:accounts@/), 'MoneyDeposited', `Account-${account}`, 'failed'],
      [`Account-${account}`, '2', expect.stringMatching(/^projection:accounts@/), 'MoneyDeposited', `Account-${account}`, 'held'],
      [`Account-${account}`, '3', expect.stringMatching(/^projection:accounts@/), 'MoneyDeposited', `Account-${account}`, 'held'],
    ]);

    // The operator puts the stored event back as it was written.
    flipBytes(storeFile(dir), '"amount":900', '"amount":500');
    const listed = await runCli(['parked', 'list', '--projection', 'accounts', '--json'], env);
    const [sequence, ...others] = JSON.parse(listed.stdout) as ParkedSequence[];
    expect(others).toEqual([]);
    const [head, ...held] = sequence?.events ?? [];
    const retried = await runCli(['parked', 'retry', String(head?._id)], env);
    expect({ code: retried.code, stderr: retried.stderr.trim() }).toEqual({ code: 0, stderr: '' });
    expect(retried.stdout.trimEnd().split('\n')).toEqual([
      `applied ${head?._id}`,
      ...held.map((event) => `applied ${event._id} (in the sequence of ${head?._id})`),
    ]);
    expect(JSON.parse((await runCli(['parked', 'list', '--projection', 'accounts', '--json'], env)).stdout)).toEqual([]);

    const app = await BankTestApp.start(onSqlite(true));
    try {
      expect((await app.get(`/accounts/${account}`)).json()).toMatchObject({ balance: 620, revision: 3 });
      // The app holds the account no longer: a new deposit is projected at once.
      const deposited = await app.deposit(account, 5);
      expect(deposited.status).toBe(200);
      const view = await eventually<Record<string, unknown>>('the new deposit is projected', async () => {
        const reply = await app.get(`/accounts/${account}`);
        return reply.json()['revision'] === 4 ? reply.json() : undefined;
      });
      expect(view['balance']).toBe(625);
    } finally {
      await app.stop();
    }
  });
});
