import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BankTestApp } from './bank-test-app';
import { HttpClient } from '@strata/testing';
import { expectInvariant, readLedger } from './transfer-invariant';
import { runTransferLoad, waitUntilSettled } from './transfer-load';

describe('1,000 concurrent transfers over HTTP on SQLite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-transfers-load-'));
  let bank: BankTestApp | undefined;
  let client: HttpClient | undefined;

  afterAll(async () => {
    client?.close();
    await bank?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('all settle, money is neither made nor lost, no balance goes negative, and no leg is applied twice', async () => {
    bank = await BankTestApp.start({ strata: { eventStore: 'sqlite', env: { STRATA_DATA_DIR: dataDir } } });
    const url = await bank.listen();
    client = new HttpClient(() => url);
    const started = Date.now();

    const load = await runTransferLoad(client);
    const sent = Date.now();
    const statuses = await waitUntilSettled(client, load.transfers, 90_000);
    const settled = Date.now();

    const ledger = await readLedger(bank.store);
    const { completed, failed } = expectInvariant(ledger, load, statuses);
    // Some of each, or the load proves less than it claims.
    expect(completed).toBeGreaterThan(100);
    expect(failed).toBeGreaterThan(100);
    // The accounts read model catches up with the streams.
    for (const id of load.accounts) {
      const balance = ledger.balances.get(id);
      const until = Date.now() + 10_000;
      let answer = await client.get(`/accounts/${id}`);
      while (answer.body['balance'] !== balance && Date.now() < until) {
        await sleep(20);
        answer = await client.get(`/accounts/${id}`);
      }
      expect(answer.body['balance']).toBe(balance);
    }
    process.stdout.write(
      `transfers load: ${load.transfers.length} sent in ${sent - started} ms, all settled after ${settled - started} ms ` +
        `(${completed} completed, ${failed} failed)\n`,
    );
  }, 150_000);
});
