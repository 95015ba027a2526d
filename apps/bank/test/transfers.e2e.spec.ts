import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { describeOnEveryBackend } from './test-backends';
import { aString, aUuid, BankTestApp, expectProblem, fieldsOf } from './bank-test-app';

interface Accepted {
  readonly id: string;
  readonly position: string;
}

interface TransactionBody {
  readonly type: string;
  readonly amount: number;
  readonly balanceAfter: number;
  readonly transferId?: string;
}

// The same contract holds on every backend: in memory, on a real SQLite file, and on PostgreSQL.
describeOnEveryBackend('transfers over HTTP (%s stores)', (backend) => {
  let bank: BankTestApp;

  beforeAll(async () => {
    bank = await BankTestApp.start({ strata: { eventStore: backend.name, env: backend.open() } });
  });

  afterAll(async () => {
    await bank.stop();
    await backend.discard();
  });

  /** Opens an account holding `balance`. */
  async function funded(balance: number): Promise<string> {
    const id = await bank.openAccount();
    if (balance > 0) expect((await bank.deposit(id, balance)).status).toBe(200);
    return id;
  }

  async function request(from: string, to: string, amount: number, headers?: Record<string, string>): Promise<Accepted> {
    const reply = await bank.transfer(from, to, amount, headers);
    expect(reply.status).toBe(202);
    return reply.json<Accepted>();
  }

  async function balanceOf(id: string): Promise<number> {
    const events = await bank.eventsOf(id);
    return events.reduce((sum, e) => sum + (e.type === 'MoneyDeposited' ? 1 : e.type === 'MoneyWithdrawn' ? -1 : 0) * Number(e.data['amount'] ?? 0), 0);
  }

  async function transactionsOf(id: string): Promise<TransactionBody[]> {
    const head = (await bank.store.headPosition()) ?? undefined;
    const reply = await bank.get(`/accounts/${id}/transactions`, head);
    expect(reply.status).toBe(200);
    return reply.json<{ items: TransactionBody[] }>().items;
  }

  describe('a transfer that goes through', () => {
    it('answers 202 with { id, position } and a Location, then completes, moving the money once', async () => {
      const [from, to] = [await funded(500), await funded(0)];

      const reply = await bank.transfer(from, to, 200);

      expect(reply.status).toBe(202);
      const accepted = reply.json<Accepted>();
      expect(accepted).toEqual({ id: aUuid(), position: aString() });
      expect(reply.headers.location).toBe(`/transfers/${accepted.id}`);
      expect(await bank.settledTransfer(accepted.id, accepted.position)).toEqual({ id: accepted.id, from, to, amount: 200, status: 'completed' });
      expect([await balanceOf(from), await balanceOf(to)]).toEqual([300, 200]);
    });

    it('shows both legs in the accounts’ histories, with the transfer id', async () => {
      const [from, to] = [await funded(500), await funded(0)];
      const { id, position } = await request(from, to, 120);
      await bank.settledTransfer(id, position);

      expect(await transactionsOf(from)).toEqual([
        { type: 'deposit', amount: 500, balanceAfter: 500, at: aString(), position: aString() },
        { type: 'withdrawal', amount: 120, balanceAfter: 380, at: aString(), position: aString(), transferId: id },
      ]);
      expect(await transactionsOf(to)).toEqual([{ type: 'deposit', amount: 120, balanceAfter: 120, at: aString(), position: aString(), transferId: id }]);
    });

    it('carries the correlation id of the request into every leg', async () => {
      const [from, to] = [await funded(50), await funded(0)];
      const { id, position } = await request(from, to, 50, { 'X-Correlation-Id': 'transfer-corr-1' });
      await bank.settledTransfer(id, position);

      const legs = [...(await bank.eventsOf(from)), ...(await bank.eventsOf(to))].filter((e) => e.data['transferId'] === id);
      expect(legs.map((e) => [e.type, e.metadata.correlationId])).toEqual([
        ['MoneyWithdrawn', 'transfer-corr-1'],
        ['MoneyDeposited', 'transfer-corr-1'],
      ]);
      const settled = await bank.streamEvents(`Transfer-${id}`);
      expect(settled.map((e) => [e.type, e.metadata.correlationId])).toEqual([
        ['TransferRequested', 'transfer-corr-1'],
        ['TransferCompleted', 'transfer-corr-1'],
      ]);
    });
  });

  describe('a transfer that fails', () => {
    it('refunds a deposit the destination refuses, then fails with the reason', async () => {
      const [from, to] = [await funded(300), await funded(0)];
      expect((await bank.close(to)).status).toBe(200);
      const { id, position } = await request(from, to, 100);

      const transfer = await bank.settledTransfer(id, position);

      expect(transfer).toEqual({ id, from, to, amount: 100, status: 'failed', reason: expect.stringContaining(`The deposit to account '${to}' was refused`) as unknown });
      expect(transfer.reason).toContain(`The money was returned to account '${from}'.`);
      expect(await balanceOf(from)).toBe(300);
      expect((await transactionsOf(from)).slice(1)).toEqual([
        { type: 'withdrawal', amount: 100, balanceAfter: 200, at: aString(), position: aString(), transferId: id },
        { type: 'deposit', amount: 100, balanceAfter: 300, at: aString(), position: aString(), transferId: id },
      ]);
      expect((await bank.eventsOf(from)).at(-1)?.data).toEqual({ accountId: from, amount: 100, transferId: id, refund: true });
    });

    it('refunds a transfer to an account that does not exist', async () => {
      const from = await funded(80);
      const nowhere = randomUUID();
      const { id, position } = await request(from, nowhere, 80);

      const transfer = await bank.settledTransfer(id, position);

      expect(transfer.status).toBe('failed');
      expect(transfer.reason).toContain(`Account '${nowhere}' does not exist`);
      expect(await balanceOf(from)).toBe(80);
    });

    it('fails without moving anything when the source holds too little, is closed, or does not exist', async () => {
      const [poor, closed, to] = [await funded(10), await funded(0), await funded(0)];
      expect((await bank.close(closed)).status).toBe(200);
      const cases: [string, string][] = [
        [poor, 'holds 10, less than the 11 requested'],
        [closed, 'is closed'],
        [randomUUID(), 'does not exist'],
      ];
      for (const [from, detail] of cases) {
        const { id, position } = await request(from, to, 11);
        const transfer = await bank.settledTransfer(id, position);
        expect(transfer.status).toBe('failed');
        expect(transfer.reason).toContain(`The withdrawal from account '${from}' was refused`);
        expect(transfer.reason).toContain(detail);
      }
      expect([await balanceOf(poor), await balanceOf(to)]).toEqual([10, 0]);
    });
  });

  describe('POST /transfers input', () => {
    const a = '0b4c7bb6-1b4c-4c5e-9f5e-1c2d3e4f5a6b';
    const b = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

    it.each([
      ['a from that is not a UUID', { from: 'acc-1', to: b, amount: 1 }, ['from']],
      ['a missing to', { from: a, amount: 1 }, ['to']],
      ['a to that is a number', { from: a, to: 7, amount: 1 }, ['to']],
      ['an amount of 0', { from: a, to: b, amount: 0 }, ['amount']],
      ['a fractional amount', { from: a, to: b, amount: 1.5 }, ['amount']],
      ['an amount as a string', { from: a, to: b, amount: '5' }, ['amount']],
      ['an amount over the maximum', { from: a, to: b, amount: 1_000_000_000_001 }, ['amount']],
      ['an unknown property', { from: a, to: b, amount: 1, memo: 'rent' }, ['memo']],
      ['the same account twice', { from: a, to: a, amount: 1 }, ['to']],
      ['the same account twice, spelt differently', { from: a, to: a.toUpperCase(), amount: 1 }, ['to']],
    ])('refuses %s with a 400 naming the field', async (_case, body, fields) => {
      const problem = expectProblem(await bank.request({ url: '/transfers', body }), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(problem)).toEqual(fields);
    });

    it('says why the same account twice is refused', async () => {
      const problem = expectProblem(await bank.transfer(a, a, 1), 400, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual([{ field: 'to', message: 'to must differ from from' }]);
    });

    it('takes upper-case account ids as the same accounts', async () => {
      const [from, to] = [await funded(5), await funded(0)];
      const { id, position } = await request(from.toUpperCase(), to.toUpperCase(), 5);
      expect(await bank.settledTransfer(id, position)).toMatchObject({ from, to, status: 'completed' });
    });

    it('records one transfer for a repeated Idempotency-Key, answering the first response again', async () => {
      const [from, to] = [await funded(100), await funded(0)];
      const headers = { 'Idempotency-Key': `transfer-${randomUUID()}` };

      const [first, second] = [await request(from, to, 40, headers), await request(from, to, 40, headers)];

      expect(second).toEqual(first);
      await bank.settledTransfer(first.id, first.position);
      expect(await bank.streamEvents(`Transfer-${first.id}`)).toHaveLength(2);
      expect([await balanceOf(from), await balanceOf(to)]).toEqual([60, 40]);
    });
  });

  describe('GET /transfers/{id}', () => {
    it('answers 404 as problem+json for a transfer it does not know', async () => {
      const problem = expectProblem(await bank.get(`/transfers/${randomUUID()}`), 404, 'TRANSFER_NOT_FOUND');
      expect(problem.detail).toContain('X-Strata-Position');
    });

    it('refuses an id that is not a UUID, and unknown query parameters', async () => {
      expect(fieldsOf(expectProblem(await bank.get('/transfers/nope'), 400, 'VALIDATION_FAILED'))).toEqual(['id']);
      expect(fieldsOf(expectProblem(await bank.get(`/transfers/${randomUUID()}?verbose=1`), 400, 'VALIDATION_FAILED'))).toEqual(['verbose']);
    });

    it('reads its request at once with X-Strata-Position', async () => {
      const [from, to] = [await funded(1), await funded(0)];
      const { id, position } = await request(from, to, 1);
      const reply = await bank.get(`/transfers/${id}`, position);
      expect(reply.status).toBe(200);
      expect(reply.json()).toMatchObject({ id, from, to, amount: 1, status: expect.stringMatching(/^(pending|completed)$/) as unknown });
    });
  });
});

describe('transfer settings', () => {
  it('refuses to start with a TRANSFER_TIMEOUT_MS that is not a duration, naming the variable', async () => {
    // Nest logs the failed start itself; the assertion below is what matters. Last in this file, so nothing else goes quiet.
    Logger.overrideLogger(false);
    await expect(BankTestApp.start({ strata: { env: { TRANSFER_TIMEOUT_MS: '30s' } } })).rejects.toThrow(
      "TRANSFER_TIMEOUT_MS: '30s' is not a whole number of milliseconds from 1 to 86400000.",
    );
  });
});
