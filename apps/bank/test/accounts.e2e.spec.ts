import { randomUUID } from 'node:crypto';
import { deriveId } from '@strata/core';
import { describeOnEveryBackend } from './test-backends';
import { aString, aUuid, BankTestApp, expectProblem, fieldsOf } from './bank-test-app';

// The same contract holds on every backend: in memory, on a real SQLite file, and on PostgreSQL.
describeOnEveryBackend('accounts over HTTP (%s event store)', (backend) => {
  let bank: BankTestApp;

  beforeAll(async () => {
    bank = await BankTestApp.start({ strata: { eventStore: backend.name, env: backend.open() } });
  });

  afterAll(async () => {
    await bank.stop();
    await backend.discard();
  });

  describe('POST /accounts', () => {
    it('opens an account: 201 with Location, ETag and { id, revision, position }', async () => {
      const reply = await bank.request({ url: '/accounts', body: { owner: 'Ada Lovelace' } });

      expect(reply.status).toBe(201);
      const body = reply.json<{ id: string; revision: unknown; position: unknown }>();
      expect(body).toEqual({ id: aUuid(), revision: 0, position: aString() });
      expect(reply.headers.location).toBe(`/accounts/${body.id}`);
      expect(reply.headers.etag).toBe('"0"');
      const events = await bank.eventsOf(body.id);
      expect(events.map((e) => [e.type, e.data])).toEqual([['AccountOpened', { accountId: body.id, owner: 'Ada Lovelace' }]]);
      expect(events[0]?.position).toBe(body.position);
    });

    it('accepts an owner of exactly 100 characters', async () => {
      const reply = await bank.request({ url: '/accounts', body: { owner: 'o'.repeat(100) } });
      expect(reply.status).toBe(201);
    });

    it.each([
      ['a missing owner', {}],
      ['an empty owner', { owner: '' }],
      ['an owner over 100 characters', { owner: 'o'.repeat(101) }],
      ['an owner that is not a string', { owner: 42 }],
    ])('refuses %s with a 400 naming owner', async (_case, body) => {
      const problem = expectProblem(await bank.request({ url: '/accounts', body }), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(problem)).toEqual(['owner']);
    });

    it('refuses an unknown property with a 400 naming it, and stores nothing', async () => {
      const key = randomUUID();
      const reply = await bank.request({
        url: '/accounts',
        body: { owner: 'Ada', isAdmin: true },
        headers: { 'Idempotency-Key': key },
      });

      const problem = expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(problem)).toEqual(['isAdmin']);
      // A keyed create would have landed on this id, so its stream proves nothing was written.
      expect(await bank.eventsOf(deriveId('account', key))).toEqual([]);
    });

    it('refuses an unknown query parameter with a 400 naming it, and stores nothing', async () => {
      const key = randomUUID();
      const reply = await bank.request({ url: '/accounts?dryRun=1', body: { owner: 'Ada' }, headers: { 'Idempotency-Key': key } });

      expect(fieldsOf(expectProblem(reply, 400, 'VALIDATION_FAILED'))).toEqual(['dryRun']);
      expect(await bank.eventsOf(deriveId('account', key))).toEqual([]);
    });
  });

  describe('POST /accounts/{id}/deposits', () => {
    it('deposits: 200 with ETag and the new revision', async () => {
      const id = await bank.openAccount();

      const reply = await bank.deposit(id, 250);

      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ id, revision: 1, position: aString() });
      expect(reply.headers.etag).toBe('"1"');
      expect(reply.headers.location).toBeUndefined();
      const events = await bank.eventsOf(id);
      expect(events.map((e) => [e.type, e.data])).toContainEqual(['MoneyDeposited', { accountId: id, amount: 250 }]);
    });

    it('accepts the largest amount, 1e12', async () => {
      const id = await bank.openAccount();
      expect((await bank.deposit(id, 1e12)).status).toBe(200);
    });

    it.each([
      ['a string', '100'],
      ['a fraction', 1.5],
      ['zero', 0],
      ['a negative amount', -5],
      ['more than 1e12', 1e12 + 1],
      ['null', null],
    ])('refuses an amount that is %s with a 400 naming amount', async (_case, amount) => {
      const id = await bank.openAccount();

      const reply = await bank.request({ url: `/accounts/${id}/deposits`, body: { amount } });

      expect(fieldsOf(expectProblem(reply, 400, 'VALIDATION_FAILED'))).toEqual(['amount']);
      expect(await bank.eventsOf(id)).toHaveLength(1);
    });

    it.each([
      ['a string', '100', 'amount must be an integer number'],
      ['a fraction', 1.5, 'amount must be an integer number'],
      ['zero', 0, 'amount must not be less than 1'],
      ['more than 1e12', 1e12 + 1, 'amount must not be greater than 1000000000000'],
    ])('explains an amount that is %s with its one relevant rule', async (_case, amount, message) => {
      const id = await bank.openAccount();
      const reply = await bank.request({ url: `/accounts/${id}/deposits`, body: { amount } });
      expect(expectProblem(reply, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'amount', message }]);
    });

    it('refuses a missing amount and an unknown property at once, naming both', async () => {
      const id = await bank.openAccount();
      const reply = await bank.request({ url: `/accounts/${id}/deposits`, body: { amont: 5 } });
      expect(fieldsOf(expectProblem(reply, 400)).sort()).toEqual(['amont', 'amount']);
    });

    it('is a 404 for an account that does not exist', async () => {
      const id = randomUUID();
      const problem = expectProblem(await bank.deposit(id, 10), 404, 'ACCOUNT_NOT_FOUND');
      expect(problem.detail).toContain(id);
      expect(problem.instance).toBe(`/accounts/${id}/deposits`);
    });

    it('is a 422 for a closed account', async () => {
      const id = await bank.openAccount();
      expect((await bank.close(id)).status).toBe(200);

      expectProblem(await bank.deposit(id, 10), 422, 'ACCOUNT_CLOSED');
      expect(await bank.eventsOf(id)).toHaveLength(2);
    });
  });

  describe('POST /accounts/{id}/withdrawals', () => {
    it('withdraws: 200 with ETag', async () => {
      const id = await bank.openAccount();
      await bank.deposit(id, 100);

      const reply = await bank.withdraw(id, 100);

      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ id, revision: 2, position: aString() });
      expect(reply.headers.etag).toBe('"2"');
    });

    it('is a 422 for insufficient funds, naming the balance, and appends nothing', async () => {
      const id = await bank.openAccount();
      await bank.deposit(id, 100);

      const problem = expectProblem(await bank.withdraw(id, 101), 422, 'INSUFFICIENT_FUNDS');

      expect(problem.detail).toContain('100');
      expect(await bank.eventsOf(id)).toHaveLength(2);
    });

    it('is a 422 for a closed account and a 404 for an unknown one', async () => {
      const id = await bank.openAccount();
      await bank.close(id);
      expectProblem(await bank.withdraw(id, 1), 422, 'ACCOUNT_CLOSED');
      expectProblem(await bank.withdraw(randomUUID(), 1), 404, 'ACCOUNT_NOT_FOUND');
    });

    it('validates the amount like deposits do', async () => {
      const id = await bank.openAccount();
      const reply = await bank.request({ url: `/accounts/${id}/withdrawals`, body: { amount: 2.5 } });
      expect(fieldsOf(expectProblem(reply, 400, 'VALIDATION_FAILED'))).toEqual(['amount']);
    });
  });

  describe('POST /accounts/{id}/close', () => {
    it('closes an account at zero: 200 with ETag', async () => {
      const id = await bank.openAccount();

      const reply = await bank.close(id);

      expect(reply.status).toBe(200);
      expect(reply.json()).toEqual({ id, revision: 1, position: aString() });
      expect(reply.headers.etag).toBe('"1"');
      expect((await bank.eventsOf(id)).map((e) => e.type)).toEqual(['AccountOpened', 'AccountClosed']);
    });

    it('is a 422 while the balance is not zero', async () => {
      const id = await bank.openAccount();
      await bank.deposit(id, 5);
      expectProblem(await bank.close(id), 422, 'BALANCE_NOT_ZERO');
    });

    it('is a 422 when already closed and a 404 when unknown', async () => {
      const id = await bank.openAccount();
      await bank.close(id);
      expectProblem(await bank.close(id), 422, 'ACCOUNT_CLOSED');
      expectProblem(await bank.close(randomUUID()), 404, 'ACCOUNT_NOT_FOUND');
    });

    it('refuses any body property', async () => {
      const id = await bank.openAccount();
      const reply = await bank.request({ url: `/accounts/${id}/close`, body: { force: true } });
      expect(fieldsOf(expectProblem(reply, 400, 'VALIDATION_FAILED'))).toEqual(['force']);
    });
  });

  describe('the {id} parameter', () => {
    it.each(['not-a-uuid', '12345', `${randomUUID()}x`])('is a 400 naming id for %s', async (id) => {
      const problem = expectProblem(await bank.deposit(id, 1), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(problem)).toEqual(['id']);
    });

    it('treats an upper-case id as the same account', async () => {
      const id = await bank.openAccount();

      const reply = await bank.deposit(id.toUpperCase(), 7);

      expect(reply.status).toBe(200);
      expect(reply.json<{ id: string }>().id).toBe(id);
      expect(await bank.eventsOf(id)).toHaveLength(2);
    });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const problem = expectProblem(await bank.request({ method: 'GET', url: '/nowhere' }), 404, 'NOT_FOUND');
    expect(problem.instance).toBe('/nowhere');
  });
});
