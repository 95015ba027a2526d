import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positionFromSequence } from '@strata/core/adapter';
import { aString, BankTestApp, expectProblem, fieldsOf, type Reply } from './bank-test-app';

interface Written {
  readonly id: string;
  readonly revision: number;
  readonly position: string;
}

interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

interface AccountBody {
  readonly id: string;
  readonly owner: string;
  readonly balance: number;
  readonly status: string;
  readonly revision: number;
}

interface TransactionBody {
  readonly type: string;
  readonly amount: number;
  readonly balanceAfter: number;
  readonly at: string;
  readonly position: string;
}

/** The command's answer, which carries the position a query then waits for. */
function written(reply: Reply): Written {
  expect([200, 201]).toContain(reply.status);
  return reply.json<Written>();
}

// The same contract holds on every backend: in memory, and on a real SQLite file.
describe.each(['memory', 'sqlite'])('account queries over HTTP (%s stores)', (backend) => {
  let bank: BankTestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bank-queries-'));

  beforeAll(async () => {
    bank = await BankTestApp.start({ strata: { eventStore: backend, env: { STRATA_DATA_DIR: dataDir } } });
  });

  afterAll(async () => {
    await bank.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(owner: string): Promise<Written> {
    return written(await bank.request({ url: '/accounts', body: { owner } }));
  }

  /** Follows `next` from the first page to the last, returning every page. */
  async function allPages<T>(firstUrl: string, position: string): Promise<Page<T>[]> {
    const pages: Page<T>[] = [];
    let url: string | undefined = firstUrl;
    while (url !== undefined) {
      const reply = await bank.get(url, position);
      expect(reply.status).toBe(200);
      const page = reply.json<Page<T>>();
      pages.push(page);
      url = page.next === null ? undefined : `${firstUrl}&cursor=${page.next}`;
      expect(pages.length).toBeLessThan(20);
    }
    return pages;
  }

  describe('GET /accounts/{id}', () => {
    it('reads its write at once with X-Strata-Position', async () => {
      const opened = await open('Ada Lovelace');

      const reply = await bank.get(`/accounts/${opened.id}`, opened.position);

      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ id: opened.id, owner: 'Ada Lovelace', balance: 0, status: 'open', revision: 0 });
    });

    it('follows deposits, withdrawals and closing, revision for revision', async () => {
      const { id } = await open('Ada');
      written(await bank.deposit(id, 500));
      const withdrawal = written(await bank.withdraw(id, 200));

      expect((await bank.get(`/accounts/${id}`, withdrawal.position)).json()).toEqual({
        id,
        owner: 'Ada',
        balance: 300,
        status: 'open',
        revision: withdrawal.revision,
      });

      written(await bank.withdraw(id, 300));
      const closing = written(await bank.close(id));
      expect((await bank.get(`/accounts/${id}`, closing.position)).json()).toEqual({
        id,
        owner: 'Ada',
        balance: 0,
        status: 'closed',
        revision: closing.revision,
      });
      expect(closing.revision).toBe(4);
    });

    it('catches up without the header too, eventually', async () => {
      const { id } = await open('Grace');
      let reply = await bank.get(`/accounts/${id}`);
      for (let attempt = 0; reply.status === 404 && attempt < 100; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        reply = await bank.get(`/accounts/${id}`);
      }
      expect(reply.status).toBe(200);
    });

    it('reads the same account through an upper-case id', async () => {
      const opened = await open('Ada');
      const reply = await bank.get(`/accounts/${opened.id.toUpperCase()}`, opened.position);
      expect(reply.json()).toMatchObject({ id: opened.id });
    });

    it('is a 404 for an account that does not exist, with the header or without', async () => {
      const { position } = await open('Ada');
      const id = randomUUID();

      const problem = expectProblem(await bank.get(`/accounts/${id}`, position), 404, 'ACCOUNT_NOT_FOUND');
      expect(problem.detail).toContain(id);
      expect(problem.instance).toBe(`/accounts/${id}`);
      expectProblem(await bank.get(`/accounts/${id}`), 404, 'ACCOUNT_NOT_FOUND');
    });

    it('is a 400 naming id for an id that is not a UUID', async () => {
      expect(fieldsOf(expectProblem(await bank.get('/accounts/not-a-uuid'), 400, 'VALIDATION_FAILED'))).toEqual(['id']);
    });

    it('is a 400 naming an unknown query parameter', async () => {
      const { id, position } = await open('Ada');
      expect(fieldsOf(expectProblem(await bank.get(`/accounts/${id}?verbose=1`, position), 400, 'VALIDATION_FAILED'))).toEqual(['verbose']);
    });
  });

  describe('GET /accounts', () => {
    it('pages through one owner\'s accounts in id order, to a null next', async () => {
      const owner = `owner-${randomUUID()}`;
      const opened: Written[] = [];
      for (let i = 0; i < 5; i += 1) opened.push(await open(owner));
      const last = opened[opened.length - 1]?.position ?? '';

      const pages = await allPages<AccountBody>(`/accounts?owner=${owner}&limit=2`, last);

      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      expect(pages.map((page) => page.next === null)).toEqual([false, false, true]);
      const ids = opened.map((account) => account.id).sort();
      expect(pages.flatMap((page) => page.items)).toEqual(
        ids.map((id) => ({ id, owner, balance: 0, status: 'open', revision: 0 })),
      );
    });

    it('ends with next null when the last page is exactly full', async () => {
      const owner = `owner-${randomUUID()}`;
      await open(owner);
      const { position } = await open(owner);

      const reply = await bank.get(`/accounts?owner=${owner}&limit=2`, position);

      expect(reply.json<Page<AccountBody>>()).toEqual({ items: [expect.objectContaining({ owner }), expect.objectContaining({ owner })], next: null });
    });

    it('filters by status', async () => {
      const owner = `owner-${randomUUID()}`;
      const kept = await open(owner);
      const gone = await open(owner);
      const closing = written(await bank.close(gone.id));

      const closed = (await bank.get(`/accounts?owner=${owner}&status=closed`, closing.position)).json<Page<AccountBody>>();
      const stillOpen = (await bank.get(`/accounts?owner=${owner}&status=open`, closing.position)).json<Page<AccountBody>>();

      expect(closed).toEqual({ items: [{ id: gone.id, owner, balance: 0, status: 'closed', revision: 1 }], next: null });
      expect(stillOpen).toEqual({ items: [{ id: kept.id, owner, balance: 0, status: 'open', revision: 0 }], next: null });
    });

    it('holds 20 accounts to a page by default', async () => {
      const owner = `owner-${randomUUID()}`;
      let position = '';
      for (let i = 0; i < 21; i += 1) position = (await open(owner)).position;

      const page = (await bank.get(`/accounts?owner=${owner}`, position)).json<Page<AccountBody>>();

      expect(page.items).toHaveLength(20);
      expect(page.next).toEqual(aString());
    });

    it('answers an empty page for an owner with no accounts', async () => {
      const reply = await bank.get(`/accounts?owner=nobody-${randomUUID()}`);
      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ items: [], next: null });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1e1', 'limit'],
      ['limit=', 'limit'],
      ['limit=5&limit=6', 'limit'],
      ['status=frozen', 'status'],
      ['owner=', 'owner'],
      ['cursor=not*base64', 'cursor'],
      [`cursor=${Buffer.from('not-an-id').toString('base64url')}`, 'cursor'],
      ['cursor=', 'cursor'],
      ['sort=owner', 'sort'],
    ])('is a 400 for ?%s, naming %s', async (query, field) => {
      const problem = expectProblem(await bank.get(`/accounts?${query}`), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(problem)).toEqual([field]);
    });

    it('accepts the largest limit, 100', async () => {
      expect((await bank.get('/accounts?limit=100')).status).toBe(200);
    });
  });

  describe('GET /accounts/{id}/transactions', () => {
    it('lists deposits and withdrawals oldest first, with the balance after each', async () => {
      const { id } = await open('Ada');
      const deposit = written(await bank.deposit(id, 500));
      const withdrawal = written(await bank.withdraw(id, 200));

      const reply = await bank.get(`/accounts/${id}/transactions`, withdrawal.position);

      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({
        items: [
          { type: 'deposit', amount: 500, balanceAfter: 500, at: aString(), position: deposit.position },
          { type: 'withdrawal', amount: 200, balanceAfter: 300, at: aString(), position: withdrawal.position },
        ],
        next: null,
      });
      for (const { at } of reply.json<Page<TransactionBody>>().items) expect(new Date(at).toISOString()).toBe(at);
    });

    it('is an empty page for an account without transactions', async () => {
      const { id, position } = await open('Ada');
      expect((await bank.get(`/accounts/${id}/transactions`, position)).json()).toEqual({ items: [], next: null });
    });

    it('pages through every transaction with the cursor', async () => {
      const { id } = await open('Ada');
      const amounts = [10, 20, 30, 40, 50];
      let position = '';
      for (const amount of amounts) position = written(await bank.deposit(id, amount)).position;

      const pages = await allPages<TransactionBody>(`/accounts/${id}/transactions?limit=2`, position);

      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      const items = pages.flatMap((page) => page.items);
      expect(items.map((item) => item.amount)).toEqual(amounts);
      expect(items.map((item) => item.balanceAfter)).toEqual([10, 30, 60, 100, 150]);
      expect(items.at(-1)?.position).toBe(position);
    });

    it('is a 404 for an account that does not exist', async () => {
      const { position } = await open('Ada');
      const id = randomUUID();
      const problem = expectProblem(await bank.get(`/accounts/${id}/transactions`, position), 404, 'ACCOUNT_NOT_FOUND');
      expect(problem.detail).toContain(id);
    });

    it('is a 400 naming id for an id that is not a UUID', async () => {
      expect(fieldsOf(expectProblem(await bank.get('/accounts/42/transactions'), 400, 'VALIDATION_FAILED'))).toEqual(['id']);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['cursor=%%%', 'cursor'],
      // An accounts cursor is no transactions cursor: it holds an id, not a position.
      [`cursor=${Buffer.from(randomUUID()).toString('base64url')}`, 'cursor'],
      ['status=open', 'status'],
    ])('is a 400 for ?%s, naming %s', async (query, field) => {
      const { id } = await open('Ada');
      const problem = expectProblem(await bank.get(`/accounts/${id}/transactions?${query}`), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(problem)).toEqual([field]);
    });
  });

  describe('X-Strata-Position', () => {
    it.each([
      ['text that is no position', 'not-a-position'],
      ['a position beyond the end of the log', positionFromSequence(10n ** 12n)],
    ])('is a 400 INVALID_POSITION for %s', async (_case, header) => {
      const { id } = await open('Ada');
      expectProblem(await bank.get(`/accounts/${id}`, header), 400, 'INVALID_POSITION');
      expectProblem(await bank.get('/accounts', header), 400, 'INVALID_POSITION');
    });
  });
});

describe('account queries when the projections lag', () => {
  let bank: BankTestApp;

  beforeAll(async () => {
    // Runners that never start stand in for projections that fall behind.
    bank = await BankTestApp.start({ strata: { projections: { autoStart: false }, consistency: { timeoutMs: 100 } } });
  });

  afterAll(async () => {
    await bank.stop();
  });

  it('answers 503 CONSISTENCY_TIMEOUT when the read model does not reach the position in time', async () => {
    const opened = written(await bank.request({ url: '/accounts', body: { owner: 'Ada' } }));

    const problem = expectProblem(await bank.get(`/accounts/${opened.id}`, opened.position), 503, 'CONSISTENCY_TIMEOUT');

    expect(problem.detail).toContain(opened.position);
    expect(problem.detail).toContain("'accounts'");
    // Only the projection behind the endpoint's collections is waited for.
    expect(problem.detail).not.toContain("'account-transactions'");
  });

  it('still answers at once, from what the read model holds, without the header', async () => {
    const { id } = written(await bank.request({ url: '/accounts', body: { owner: 'Ada' } }));
    expectProblem(await bank.get(`/accounts/${id}`), 404, 'ACCOUNT_NOT_FOUND');
  });
});
