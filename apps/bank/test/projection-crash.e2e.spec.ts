import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventToAppend, type Position } from '@strata/core';
import { projectionCheckpointName, requireProjectionOptions, versionedCollection } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { AccountTransactionsProjection } from '../src/accounts/projections/account-transactions.projection';
import { AccountsProjection } from '../src/accounts/projections/accounts.projection';
import { spawnBank, waitUntilServing } from './bank-process';
import { collectionsOf, hashReadModel, rebuildInMemory } from './read-model-hash';

const ACCOUNTS = 400;
const EVENTS_PER_ACCOUNT = 50;
const PROJECTIONS = [AccountsProjection, AccountTransactionsProjection];
const CHECKPOINTS = PROJECTIONS.map((projection) => {
  const { name, version } = requireProjectionOptions(projection);
  return projectionCheckpointName(name, version);
});

const dataDir = mkdtempSync(join(tmpdir(), 'strata-projection-crash-'));
const filename = join(dataDir, 'strata.db');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** 400 accounts of 50 events each (open, then deposits and withdrawals that never overdraw): 20,000 events. */
async function seed(): Promise<Position> {
  const store = SqliteEventStore.open({ filename, synchronous: 'OFF' });
  try {
    for (let account = 0; account < ACCOUNTS; account++) {
      const accountId = `00000000-0000-4000-8000-${String(account).padStart(12, '0')}`;
      const events: EventToAppend[] = [{ type: 'AccountOpened', data: { accountId, owner: `owner-${account % 7}` } }];
      for (let n = 1; n < EVENTS_PER_ACCOUNT; n++) {
        events.push(n % 3 === 0 ? { type: 'MoneyWithdrawn', data: { accountId, amount: n } } : { type: 'MoneyDeposited', data: { accountId, amount: 2 * n } });
      }
      await store.appendToStream(`Account-${accountId}`, events, { expectedRevision: 'no_stream' });
    }
    return (await store.headPosition()) as Position;
  } finally {
    await store.close();
  }
}

async function checkpoints(documents: SqliteDocumentStore): Promise<(Position | null)[]> {
  return Promise.all(CHECKPOINTS.map((name) => documents.getCheckpoint(name)));
}

describe('a projection catch-up killed with SIGKILL', () => {
  it('resumes after a restart and ends equal to a fresh rebuild', async () => {
    const head = await seed();
    const env = { STRATA_DATA_DIR: dataDir, STRATA_PROJECTION_BATCH_SIZE: '50' };

    const first = await spawnBank(env);
    const observer = SqliteDocumentStore.open({ filename });
    try {
      // Kill as soon as the first batch of either projection has committed.
      const deadline = Date.now() + 60_000;
      while ((await checkpoints(observer)).every((checkpoint) => checkpoint === null)) {
        if (first.child.exitCode !== null) throw new Error(`the bank exited early:\n${first.output()}`);
        if (Date.now() > deadline) throw new Error(`no checkpoint within 60 s:\n${first.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      first.child.kill('SIGKILL');
      await first.exited;
      const atKill = await checkpoints(observer);
      // The kill must have landed mid catch-up, or this test proves nothing.
      expect(atKill.some((checkpoint) => checkpoint === null || checkpoint < head)).toBe(true);

      const second = await spawnBank(env);
      try {
        await waitUntilServing(second, 60_000);
        const until = Date.now() + 90_000;
        while (!(await checkpoints(observer)).every((checkpoint) => checkpoint === head)) {
          if (Date.now() > until) throw new Error(`the restarted bank did not catch up:\n${second.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }

      const collections = collectionsOf(PROJECTIONS);
      const events = SqliteEventStore.open({ filename });
      try {
        const rebuilt = await rebuildInMemory(events, PROJECTIONS);
        expect(await rebuilt.collection('accounts').countDocuments()).toBe(ACCOUNTS);
        expect(await rebuilt.collection(versionedCollection('transactions', requireProjectionOptions(AccountTransactionsProjection).version)).countDocuments()).toBe(ACCOUNTS * (EVENTS_PER_ACCOUNT - 1));
        expect(await hashReadModel(observer, collections)).toBe(await hashReadModel(rebuilt, collections));
      } finally {
        await events.close();
      }
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
      await observer.close();
    }
  }, 240_000);
});
