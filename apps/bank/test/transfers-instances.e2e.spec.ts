import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresDocumentStore, PostgresEventStore } from '@strata/postgres';
import { HttpClient } from '@strata/testing';
import { describeWithPostgres } from '@strata/testing/postgres';
import { AccountTransactionsProjection } from '../src/accounts/projections/account-transactions.projection';
import { AccountsProjection } from '../src/accounts/projections/accounts.projection';
import { TransfersProjection } from '../src/transfers/projections/transfers.projection';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';
import { currentHolders, describeSubscriptions, installLeaseAudit, readLeaseHistories, waitUntilQuiet } from './lease-audit';
import { collectionsOf, hashReadModel, rebuildInMemory } from './read-model-hash';
import { expectInvariant, readLedger } from './transfer-invariant';
import { DEFAULT_LOAD, runTransferLoad, waitUntilSettled } from './transfer-load';

const INSTANCES = 3;
/** The kill comes once this many transfers were accepted, while the rest are still coming in. */
const KILL_AFTER = 300;
const SCHEMA = 'bank';
const PROJECTIONS = [AccountsProjection, AccountTransactionsProjection, TransfersProjection];

// The deployment the PostgreSQL backend exists for: several app processes on one database.
describeWithPostgres('three bank instances on one PostgreSQL, one killed under load', (database) => {
  const banks: (BankProcess | undefined)[] = [];
  const env = (): Record<string, string> => ({
    STRATA_EVENT_STORE: 'postgres',
    STRATA_READ_STORE: 'postgres',
    DATABASE_URL: database.url(),
    STRATA_POSTGRES_SCHEMA: SCHEMA,
    STRATA_POSTGRES_POOL_SIZE: '4',
    // Three instances and the load share two cores: a saga step can take seconds, and a transfer timed out is not what this test is about.
    TRANSFER_TIMEOUT_MS: '600000',
  });

  async function start(slot: number): Promise<void> {
    const bank = await spawnBank(env());
    await waitUntilServing(bank, 120_000);
    banks[slot] = bank;
  }

  afterAll(() => {
    for (const bank of banks) if (bank && bank.child.exitCode === null && bank.child.signalCode === null) bank.child.kill('SIGKILL');
  });

  it('settles every transfer sent round robin, with one writer per projection and saga at a time, and a read model equal to a rebuild', async () => {
    await installLeaseAudit(database.url(), SCHEMA);
    for (let slot = 0; slot < INSTANCES; slot++) await start(slot);
    // Round robin over the instances serving now; a request cut off by the kill goes to the next one (its Idempotency-Key makes that safe).
    let turn = 0;
    const client = new HttpClient(
      () => {
        const serving = banks.filter((bank): bank is BankProcess => bank !== undefined);
        return (serving[turn++ % serving.length] as BankProcess).url;
      },
      () => true,
      60,
    );
    const dead = new Set<number>();
    let accepted = 0;
    let loading = true;
    const atKill = { accepted: 0, leasesHeld: 0, pid: 0 };
    const crash = (async () => {
      while (accepted < KILL_AFTER && loading) await sleep(10);
      // Kill the instance holding the most leases, so projections and sagas must move to the others.
      const holders = await currentHolders(database.url(), SCHEMA);
      const held = banks.map((bank) => [...holders.values()].filter((pid) => pid === bank?.child.pid).length);
      const slot = held.indexOf(Math.max(...held));
      const victim = banks[slot] as BankProcess;
      banks[slot] = undefined;
      Object.assign(atKill, { accepted, leasesHeld: held[slot] ?? 0, pid: victim.child.pid ?? 0 });
      dead.add(victim.child.pid ?? 0);
      victim.child.kill('SIGKILL');
      await victim.exited;
      await start(slot);
    })();
    try {
      const load = await runTransferLoad(client, DEFAULT_LOAD, (count) => (accepted = count)).finally(() => (loading = false));
      await crash;
      // Quiet first (asked of the database, not of the busy instances), then every transfer's status over HTTP.
      const statuses = await waitUntilQuiet(database.url(), SCHEMA, 600_000)
        .then(() => waitUntilSettled(client, load.transfers, 60_000))
        .catch(async (error: unknown) => {
          const complaints = banks.map((bank) => bank?.output().split('\n').filter((line) => /"level":(40|50)/.test(line)).slice(-5).join('\n'));
          process.stdout.write(`${await describeSubscriptions(database.url(), SCHEMA)}\n${complaints.join('\n')}\n`);
          throw error;
        });
      const serving = banks.filter((bank): bank is BankProcess => bank !== undefined);
      for (const bank of serving) bank.child.kill('SIGTERM');
      expect(await Promise.all(serving.map((bank) => bank.exited))).toEqual(serving.map(() => 0));

      // The kill landed mid-load, on an instance that held leases.
      expect(atKill.accepted).toBeLessThan(DEFAULT_LOAD.transfers);
      expect(atKill.leasesHeld).toBeGreaterThan(0);

      const events = await PostgresEventStore.open({ connectionString: database.url(), schema: SCHEMA, poolSize: 2, listen: false });
      const documents = await PostgresDocumentStore.open({ connectionString: database.url(), schema: SCHEMA, poolSize: 2 });
      let settled = { completed: 0, failed: 0 };
      try {
        settled = expectInvariant(await readLedger(events), load, statuses);
        expect(settled.completed).toBeGreaterThan(20);
        expect(settled.failed).toBeGreaterThan(20);
        const collections = collectionsOf(PROJECTIONS);
        const rebuilt = await rebuildInMemory(events, PROJECTIONS);
        expect(await hashReadModel(documents, collections)).toBe(await hashReadModel(rebuilt, collections));
      } finally {
        await Promise.all([events.close(), documents.close()]);
      }

      // One writer at a time, from what PostgreSQL committed: no lease taken from a live holder,
      // every checkpoint moved under its lease from where the last commit left it.
      const histories = await readLeaseHistories(database.url(), dead);
      expect(histories.flatMap((history) => history.violations)).toEqual([]);
      const names = histories.map((history) => history.name);
      expect(names).toEqual(expect.arrayContaining(['saga:dispatcher', 'saga:scheduler']));
      expect(histories.filter((history) => history.batches.length > 0).length).toBeGreaterThanOrEqual(PROJECTIONS.length + 1);
      // Work the killed instance held was carried on by another one.
      const movedOn = histories.filter((history) => history.spans.some((span, at) => span.pid === atKill.pid && history.spans.slice(at + 1).some((later) => later.pid !== atKill.pid)));
      expect(movedOn.length).toBeGreaterThan(0);
      const spans = histories.map((history) => `${history.name}: ${history.spans.map((span) => `pid ${span.pid} ×${span.commits}`).join(' → ')}`);
      process.stdout.write(`transfers on ${INSTANCES} instances: ${settled.completed} completed, ${settled.failed} failed; killed pid ${atKill.pid} after ${atKill.accepted} accepted, holding ${atKill.leasesHeld} leases\n${spans.join('\n')}\n`);
    } finally {
      client.close();
    }
  }, 1_200_000);
});
