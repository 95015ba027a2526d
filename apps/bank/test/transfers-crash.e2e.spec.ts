import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SAGA_INSTANCES, SAGA_OUTBOX } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';
import { HttpClient } from '@strata/testing';
import { expectInvariant, readLedger } from './transfer-invariant';
import { DEFAULT_LOAD, runTransferLoad, waitUntilSettled } from './transfer-load';

/** The first kill comes once this many transfers were accepted, while they are still coming in. */
const FIRST_KILL_AFTER = 300;
/** The second comes during the restarted app's catch-up, once it has finished this many more saga instances. */
const SECOND_KILL_AFTER_DONE = 20;

/** What the saga engine held when a kill landed. */
interface SagaWork {
  readonly active: number;
  readonly done: number;
  readonly outbox: number;
}

describe('transfers with the app killed twice under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-transfers-crash-'));
  const filename = join(dataDir, 'strata.db');
  let bank: BankProcess | undefined;

  afterAll(() => {
    if (bank && bank.child.exitCode === null && bank.child.signalCode === null) bank.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    bank = await spawnBank({ STRATA_DATA_DIR: dataDir });
    await waitUntilServing(bank, 60_000);
  }

  it('settles every transfer after restarts, with the money adding up and no leg applied twice', async () => {
    await start();
    // Requests cut off by a kill are sent again, to whichever process serves by then; their Idempotency-Keys make that safe.
    const client = new HttpClient(
      () => (bank as BankProcess).url,
      () => true,
    );
    const observer = SqliteDocumentStore.open({ filename });
    const atKills: SagaWork[] = [];
    const sagaWork = async (): Promise<SagaWork> => ({
      active: await observer.collection(SAGA_INSTANCES).countDocuments({ status: 'active' }),
      done: await observer.collection(SAGA_INSTANCES).countDocuments({ status: 'done' }),
      outbox: await observer.collection(SAGA_OUTBOX).countDocuments(),
    });
    /** Kills the app with SIGKILL as soon as `ready` holds (or after 30 s), then starts it again. */
    const killWhen = async (ready: (work: SagaWork) => boolean): Promise<void> => {
      for (const until = Date.now() + 30_000; Date.now() < until && !ready(await sagaWork()); ) await sleep(5);
      const victim = bank as BankProcess;
      victim.child.kill('SIGKILL');
      await victim.exited;
      atKills.push(await sagaWork());
      await start();
    };
    const inHand = (work: SagaWork): boolean => work.active + work.outbox > 0;
    // The kill is triggered with plenty in hand, so some is still in hand when the signal lands:
    // a busy machine can take a while between the look and the kill, and a fast saga drains meanwhile.
    const busy = (work: SagaWork): boolean => work.active + work.outbox >= 10;
    let accepted = 0;
    let loading = true;
    const crashes = (async () => {
      while (accepted < FIRST_KILL_AFTER && loading) await sleep(10);
      await killWhen(busy);
      const doneAtFirstKill = (atKills[0] as SagaWork).done;
      await killWhen((work) => busy(work) && work.done >= doneAtFirstKill + SECOND_KILL_AFTER_DONE);
    })();
    try {
      const load = await runTransferLoad(client, DEFAULT_LOAD, (count) => (accepted = count)).finally(() => (loading = false));
      await crashes;
      const statuses = await waitUntilSettled(client, load.transfers, 120_000);
      const serving = bank as BankProcess;
      serving.child.kill('SIGTERM');
      expect(await serving.exited).toBe(0);

      // Each kill must have caught the saga with work in hand, or this test proves nothing.
      expect(atKills).toHaveLength(2);
      for (const atKill of atKills) expect(inHand(atKill)).toBe(true);
      const events = SqliteEventStore.open({ filename });
      try {
        const ledger = await readLedger(events);
        const { completed, failed } = expectInvariant(ledger, load, statuses);
        expect(completed).toBeGreaterThan(100);
        expect(failed).toBeGreaterThan(100);
        // The read model, rebuilt across the kills, agrees with the streams.
        const accounts = await observer.collection<{ _id: string; balance: number }>('accounts').find({}, { limit: 100 });
        expect(Object.fromEntries(accounts.map((account) => [account._id, account.balance]))).toEqual(Object.fromEntries(ledger.balances));
        process.stdout.write(`transfers crash: ${completed} completed, ${failed} failed; at the kills: ${JSON.stringify(atKills)}\n`);
      } finally {
        await events.close();
      }
    } finally {
      client.close();
      await observer.close();
    }
  }, 240_000);
});
