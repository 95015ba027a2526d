import { randomBytes } from 'node:crypto';
import { DocumentStore, type ParkedEvent } from '@strata/core';
import { PARKED_COLLECTION } from '@strata/core/adapter';
import { eventually } from '@strata/testing';
import { describeWithPostgres } from '@strata/testing/postgres';
import { Client } from 'pg';
import type { BankOptions } from '../src/app.module';
import { BankTestApp } from './bank-test-app';
import { runCli } from './cli-process';

jest.setTimeout(300_000);

describeWithPostgres('a changed byte in an event stored in PostgreSQL (changed with SQL)', (database) => {
  const schema = `integrity_${randomBytes(4).toString('hex')}`;
  const env = (): Record<string, string> => ({ STRATA_EVENT_STORE: 'postgres', DATABASE_URL: database.url(), STRATA_POSTGRES_SCHEMA: schema, STRATA_POSTGRES_POOL_SIZE: '4' });
  const onPostgres = (autoStart: boolean): BankOptions => ({ strata: { eventStore: 'postgres', projections: { autoStart }, env: env() } });
  const sql = async (text: string): Promise<void> => {
    const client = new Client({ connectionString: database.url() });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  let account = '';
  let damagedPosition = '';

  beforeAll(async () => {
    // Projections off, so they meet the changed event for the first time after the change.
    const app = await BankTestApp.start(onPostgres(false));
    try {
      account = await app.openAccount('ada');
      const first = await app.deposit(account, 500);
      expect(first.status).toBe(200);
      damagedPosition = String(first.json()['position']);
      expect((await app.deposit(account, 100)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it("'verify' exits 0 on the sound log, naming what it checked in place of a storage check", async () => {
    const good = await runCli(['verify'], env());
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/verify: 3 events in 1 streams: every checksum matches, every stream's revisions are continuous; this store has no storage check of its own: every row was read back instead/);
  });

  it('refuses a command on its stream with a 500 EVENT_INTEGRITY_FAILED, the projection parks it and holds the deposit after it, and verify exits 1 naming its position', async () => {
    // 500 becomes 900: still a valid document, and without a checksum a withdrawal of 700 would pass.
    await sql(`UPDATE ${schema}.strata_events SET data = jsonb_set(data, '{amount}', '900') WHERE position = ${BigInt(`0x${damagedPosition}`)}`);
    const app = await BankTestApp.start(onPostgres(true));
    try {
      const refused = await app.withdraw(account, 700);
      expect(refused.status).toBe(500);
      expect(refused.json()).toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', status: 500 });
      const documents = app.app.get(DocumentStore);
      const [parked, held] = await eventually(async () => {
        const records = await documents.collection<ParkedEvent>(PARKED_COLLECTION).find({ subscription: 'projection:accounts' }, { sort: { position: 1 } });
        expect(records).toHaveLength(2);
        return records;
      }, 60_000);
      expect(parked).toMatchObject({ position: damagedPosition, streamId: `Account-${account}`, revision: '1', attempts: 1, held: false });
      expect(parked?.error).toMatch(/checksum does not match/);
      // The deposit after it is held behind it (dead letters keep order), not folded past it.
      expect(held).toMatchObject({ streamId: `Account-${account}`, revision: '2', attempts: 0, held: true });
      // The read model never took the changed event (nor 1000 nor 600), nor the deposit waiting behind it.
      expect((await app.get(`/accounts/${account}`)).json()).toMatchObject({ balance: 0, revision: 0 });
    } finally {
      await app.stop();
    }
    const bad = await runCli(['verify'], env());
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`^position ${damagedPosition} \\(stream 'Account-${account}', revision 1\\): its checksum does not match`, 'm'));
    expect(bad.stderr).toMatch(/verify found 1 problem/);
  });
});
