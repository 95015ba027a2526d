import type { EventStore } from '@strata/core';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankTestApp, expectProblem } from './bank-test-app';
import { ScriptedEventStore } from './scripted-event-store';

const NO_DELAY = { baseDelayMs: 0, maxDelayMs: 0 };

/** Another writer depositing 1 into the account, as a second process would. */
function competingDeposit(accountId: string) {
  return async (inner: EventStore): Promise<void> => {
    await inner.appendToStream(`Account-${accountId}`, [{ type: 'MoneyDeposited', data: { accountId, amount: 1 } }]);
  };
}

describe('accounts over HTTP: conflicts and faults', () => {
  describe('when a concurrent writer keeps winning', () => {
    const store = new ScriptedEventStore();
    let bank: BankTestApp;

    beforeAll(async () => {
      bank = await BankTestApp.start({ strata: { eventStore: store, retry: { maxAttempts: 3, ...NO_DELAY } } });
    });

    afterAll(async () => {
      await bank.stop();
    });

    it('answers 409 once every retry has conflicted, and appends none of its events', async () => {
      const id = await bank.openAccount();
      store.beforeAppend(`Account-${id}`, competingDeposit(id), 3);

      const problem = expectProblem(await bank.deposit(id, 500), 409, 'CONCURRENCY_CONFLICT');

      expect(problem.detail).toContain('3 attempts');
      const deposits = (await bank.eventsOf(id)).filter((e) => e.type === 'MoneyDeposited');
      expect(deposits.map((e) => e.data)).toEqual([1, 1, 1].map((amount) => ({ accountId: id, amount })));
    });

    it('succeeds when a retry finds the stream quiet, deciding on the state it re-read', async () => {
      const id = await bank.openAccount();
      store.beforeAppend(`Account-${id}`, competingDeposit(id), 2);

      const reply = await bank.deposit(id, 500);

      expect(reply.status).toBe(200);
      expect(reply.headers.etag).toBe('"3"');
      expect((await bank.eventsOf(id)).map((e) => e.data)).toEqual([
        { accountId: id, owner: 'Ada Lovelace' },
        { accountId: id, amount: 1 },
        { accountId: id, amount: 1 },
        { accountId: id, amount: 500 },
      ]);
    });

    it('never retries a command with If-Match: the race is a 412', async () => {
      const id = await bank.openAccount();
      store.beforeAppend(`Account-${id}`, competingDeposit(id), 1);

      expectProblem(await bank.deposit(id, 500, { 'If-Match': '"0"' }), 412, 'WRONG_EXPECTED_REVISION');
      expect(await bank.eventsOf(id)).toHaveLength(2);
    });
  });

  describe('when another process holds the SQLite write lock past the busy timeout', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'strata-bank-busy-'));
    let bank: BankTestApp;

    beforeAll(async () => {
      bank = await BankTestApp.start({
        strata: { eventStore: 'sqlite', env: { STRATA_DATA_DIR: dataDir, STRATA_SQLITE_BUSY_TIMEOUT_MS: '50' } },
      });
    });

    afterAll(async () => {
      await bank.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers 503 STORE_BUSY with Retry-After, writes nothing, and succeeds once the lock is gone', async () => {
      const id = await bank.openAccount();
      const other = new Database(join(dataDir, 'strata.db'));
      other.exec('BEGIN IMMEDIATE');
      try {
        const reply = await bank.deposit(id, 5);
        const problem = expectProblem(reply, 503, 'STORE_BUSY');
        expect(problem.detail).toBe('The store was busy with another writer and nothing was changed. Retry shortly.');
        expect(reply.headers['retry-after']).toBe('1');
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect((await bank.eventsOf(id)).map((e) => e.type)).toEqual(['AccountOpened']);
      expect((await bank.deposit(id, 5)).status).toBe(200);
    });
  });

  describe('when the store fails unexpectedly', () => {
    const store = new ScriptedEventStore();
    const lines: string[] = [];
    let bank: BankTestApp;

    beforeAll(async () => {
      bank = await BankTestApp.start({
        strata: { eventStore: store },
        logger: { level: 'info', destination: { write: (line: string) => void lines.push(line) } },
      });
    });

    afterAll(async () => {
      await bank.stop();
    });

    const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

    it('answers 500 with a generic detail, keeping the cause in the log only', async () => {
      const id = await bank.openAccount();
      store.beforeAppend(`Account-${id}`, () => Promise.reject(new Error('disk on fire at /var/lib/secret.db')));

      const reply = await bank.deposit(id, 5, { 'X-Correlation-Id': 'fault-1' });

      const problem = expectProblem(reply, 500, 'INTERNAL_SERVER_ERROR');
      expect(reply.body).not.toContain('disk on fire');
      expect(reply.body).not.toContain('secret');
      expect(problem.detail).toContain('X-Correlation-Id');
      const errorLog = logged().find((entry) => JSON.stringify(entry.err ?? {}).includes('disk on fire'));
      expect(errorLog).toMatchObject({ level: 50, correlationId: 'fault-1' });
      expect(JSON.stringify(errorLog)).toContain('"stack"');
    });

    it('logs one JSON line per request, carrying the correlation id', async () => {
      lines.length = 0;
      await bank.request({ url: '/accounts', body: { owner: 'Ada' }, headers: { 'X-Correlation-Id': 'log-1' } });
      await bank.request({ url: '/accounts', body: { owner: 42 }, headers: { 'X-Correlation-Id': 'log-2' } });
      const generated = await bank.request({ url: '/accounts', body: { owner: 'Ada' } });

      const requests = logged().filter((entry) => entry.req !== undefined && entry.res !== undefined);
      expect(requests.map((entry) => [entry.correlationId, (entry.res as { statusCode: number }).statusCode])).toEqual([
        ['log-1', 201],
        ['log-2', 400],
        [generated.headers['x-correlation-id'], 201],
      ]);
      expect(requests.map((entry) => (entry.req as { id: string }).id)).toEqual(requests.map((entry) => entry.correlationId));
    });

    it('keeps request lines compact: no headers, so no tokens or keys', async () => {
      lines.length = 0;
      await bank.request({ url: '/accounts', body: { owner: 'Ada' }, headers: { 'Idempotency-Key': 'secret-key-1', cookie: 'session=s3cret' } });

      const [entry] = logged().filter((line) => line.req !== undefined && line.res !== undefined);
      expect(Object.keys(entry?.req as object).sort()).toEqual(['id', 'method', 'remoteAddress', 'url', 'userAgent']);
      expect(entry?.req).toMatchObject({ method: 'POST', url: '/accounts' });
      expect(entry?.res).toEqual({ statusCode: 201 });
      expect(JSON.stringify(entry)).not.toMatch(/secret-key-1|s3cret/);
    });
  });
});
