import { randomUUID } from 'node:crypto';
import { deriveId } from '@strata/core';
import { BankTestApp, expectProblem, fieldsOf } from './bank-test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('accounts over HTTP: headers and bodies', () => {
  let bank: BankTestApp;

  beforeAll(async () => {
    bank = await BankTestApp.start();
  });

  afterAll(async () => {
    await bank.stop();
  });

  describe('request bodies', () => {
    it('answers malformed JSON with a 400 problem', async () => {
      const reply = await bank.request({
        url: '/accounts',
        body: '{"owner": "Ada",',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(reply, 400);
    });

    it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded'])(
      'answers a %s body with a 415 problem',
      async (contentType) => {
        const reply = await bank.request({ url: '/accounts', body: 'owner=Ada', headers: { 'content-type': contentType } });
        expectProblem(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('answers a body over 1 MiB with a 413 problem, before validating it', async () => {
      const reply = await bank.request({ url: '/accounts', body: { owner: 'o'.repeat(1024 * 1024) } });
      expectProblem(reply, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('accepts a body of exactly 1 MiB as far as validation', async () => {
      const body = JSON.stringify({ owner: '' });
      const padded = body.replace('""', `"${'o'.repeat(1024 * 1024 - body.length)}"`);
      expect(Buffer.byteLength(padded)).toBe(1024 * 1024);

      const reply = await bank.request({ url: '/accounts', body: padded, headers: { 'content-type': 'application/json' } });

      expect(fieldsOf(expectProblem(reply, 400, 'VALIDATION_FAILED'))).toEqual(['owner']);
    });
  });

  describe('If-Match', () => {
    it('makes a command conditional on the revision the ETag gave', async () => {
      const id = await bank.openAccount();

      const first = await bank.deposit(id, 10, { 'If-Match': '"0"' });
      const stale = await bank.deposit(id, 10, { 'If-Match': '"0"' });

      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"1"');
      expectProblem(stale, 412, 'WRONG_EXPECTED_REVISION');
      expect(await bank.eventsOf(id)).toHaveLength(2);
      expect((await bank.deposit(id, 10, { 'If-Match': String(first.headers.etag) })).status).toBe(200);
    });

    it('is checked before the business rules, so a stale view is a 412 rather than a 422', async () => {
      const id = await bank.openAccount();
      await bank.deposit(id, 5);
      expectProblem(await bank.withdraw(id, 500, { 'If-Match': '"0"' }), 412, 'WRONG_EXPECTED_REVISION');
    });

    it('takes * to mean the account must exist', async () => {
      const id = await bank.openAccount();
      expect((await bank.deposit(id, 1, { 'If-Match': '*' })).status).toBe(200);
      expectProblem(await bank.deposit(randomUUID(), 1, { 'If-Match': '*' }), 412, 'WRONG_EXPECTED_REVISION');
    });

    it.each(['3', 'W/"3"', '"-1"', '"abc"', '""', '"1", "2"', ''])('refuses If-Match %p with a 400 naming it', async (value) => {
      const id = await bank.openAccount();
      const problem = expectProblem(await bank.deposit(id, 1, { 'If-Match': value }), 400, 'INVALID_HEADER');
      expect(fieldsOf(problem)).toEqual(['If-Match']);
      expect(await bank.eventsOf(id)).toHaveLength(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('repeats a create: same status, body, ETag and Location, one event, on the id derived from the key', async () => {
      const key = `open-${randomUUID()}`;
      const send = () => bank.request({ url: '/accounts', body: { owner: 'Ada' }, headers: { 'Idempotency-Key': key } });

      const first = await send();
      const repeat = await send();

      expect(first.status).toBe(201);
      expect(repeat.status).toBe(201);
      expect(repeat.body).toBe(first.body);
      expect(repeat.headers.etag).toBe(first.headers.etag);
      expect(repeat.headers.location).toBe(first.headers.location);
      const id = deriveId('account', key);
      expect(first.json<{ id: string }>().id).toBe(id);
      const events = await bank.eventsOf(id);
      expect(events.map((e) => e.type)).toEqual(['AccountOpened']);
      expect(events[0]?.metadata.commandId).toBe(key);
    });

    it('repeats a deposit with its first result even after later commands, appending nothing', async () => {
      const id = await bank.openAccount();
      const key = randomUUID();

      const first = await bank.deposit(id, 40, { 'Idempotency-Key': key });
      await bank.deposit(id, 2);
      const repeat = await bank.deposit(id, 40, { 'Idempotency-Key': key });

      expect(repeat.status).toBe(200);
      expect(repeat.body).toBe(first.body);
      expect(repeat.headers.etag).toBe('"1"');
      const events = await bank.eventsOf(id);
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['AccountOpened', { accountId: id, owner: 'Ada Lovelace' }],
        ['MoneyDeposited', { accountId: id, amount: 40 }],
        ['MoneyDeposited', { accountId: id, amount: 2 }],
      ]);
    });

    it('lets racing repeats of one key append once and answer alike', async () => {
      const id = await bank.openAccount();
      const headers = { 'Idempotency-Key': `race-${id}` };

      const replies = await Promise.all([1, 2, 3].map(() => bank.deposit(id, 30, headers)));

      expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(replies.map((r) => r.body)).size).toBe(1);
      expect((await bank.eventsOf(id)).filter((e) => e.type === 'MoneyDeposited')).toHaveLength(1);
    });

    it('repeats a withdrawal once, so the money leaves once', async () => {
      const id = await bank.openAccount();
      await bank.deposit(id, 100);
      const headers = { 'Idempotency-Key': 'withdraw-once' };

      const replies = [await bank.withdraw(id, 60, headers), await bank.withdraw(id, 60, headers)];

      expect(replies.map((r) => r.status)).toEqual([200, 200]);
      expect((await bank.eventsOf(id)).filter((e) => e.type === 'MoneyWithdrawn')).toHaveLength(1);
    });

    it('refuses a key sent again with another amount, or to another endpoint, with a 422, appending nothing', async () => {
      const id = await bank.openAccount();
      await bank.deposit(id, 100);
      const headers = { 'Idempotency-Key': `reused-${id}` };
      expect((await bank.deposit(id, 40, headers)).status).toBe(200);

      const otherAmount = await bank.deposit(id, 45, headers);
      const otherEndpoint = await bank.withdraw(id, 40, headers);

      expect(expectProblem(otherAmount, 422, 'IDEMPOTENCY_KEY_REUSED').detail).toContain(`Idempotency key 'reused-${id}' was first used`);
      expectProblem(otherEndpoint, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect((await bank.eventsOf(id)).map((e) => e.type)).toEqual(['AccountOpened', 'MoneyDeposited', 'MoneyDeposited']);
      expect((await bank.deposit(id, 40, headers)).status).toBe(200);
    });

    it('answers one of racing requests that share a key but differ, refusing the others', async () => {
      const id = await bank.openAccount();
      const headers = { 'Idempotency-Key': `race-differ-${id}` };

      const replies = await Promise.all([10, 20, 30].map((amount) => bank.deposit(id, amount, headers)));

      expect(replies.map((r) => r.status).sort()).toEqual([200, 422, 422]);
      const deposits = (await bank.eventsOf(id)).filter((e) => e.type === 'MoneyDeposited');
      expect(deposits).toHaveLength(1);
      const winner = replies.findIndex((r) => r.status === 200);
      expect(deposits[0]?.data['amount']).toBe([10, 20, 30][winner]);
    });

    it('refuses a key sent again to open an account for another owner', async () => {
      const headers = { 'Idempotency-Key': `open-${randomUUID()}` };
      const first = await bank.request({ url: '/accounts', body: { owner: 'Ada' }, headers });
      const other = await bank.request({ url: '/accounts', body: { owner: 'Eve' }, headers });
      expect(first.status).toBe(201);
      expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect((await bank.eventsOf(first.json<{ id: string }>().id)).map((e) => e.data['owner'])).toEqual(['Ada']);
    });

    it.each([
      ['empty', ''],
      ['with a space', 'two words'],
      ['over 255 characters', 'k'.repeat(256)],
      ['with a control character', 'key\u0001'],
    ])('refuses a key that is %s with a 400 naming it', async (_case, key) => {
      const reply = await bank.request({ url: '/accounts', body: { owner: 'Ada' }, headers: { 'Idempotency-Key': key } });
      expect(fieldsOf(expectProblem(reply, 400, 'INVALID_HEADER'))).toEqual(['Idempotency-Key']);
    });

    it('accepts a key of 255 visible characters', async () => {
      const reply = await bank.request({
        url: '/accounts',
        body: { owner: 'Ada' },
        headers: { 'Idempotency-Key': '~'.repeat(255) },
      });
      expect(reply.status).toBe(201);
    });
  });

  describe('X-Correlation-Id', () => {
    it('echoes the id sent and records it in the metadata of every event', async () => {
      const correlationId = 'checkout:42_a.b-c';
      const reply = await bank.request({
        url: '/accounts',
        body: { owner: 'Ada' },
        headers: { 'X-Correlation-Id': correlationId },
      });
      const id = reply.json<{ id: string }>().id;
      await bank.deposit(id, 3, { 'X-Correlation-Id': correlationId });

      expect(reply.headers['x-correlation-id']).toBe(correlationId);
      const events = await bank.eventsOf(id);
      expect(events.map((e) => e.metadata.correlationId)).toEqual([correlationId, correlationId]);
    });

    it('generates one when absent, and that is the one the events carry', async () => {
      const reply = await bank.request({ url: '/accounts', body: { owner: 'Ada' } });

      const generated = String(reply.headers['x-correlation-id']);
      expect(generated).toMatch(UUID);
      const [event] = await bank.eventsOf(reply.json<{ id: string }>().id);
      expect(event?.metadata.correlationId).toBe(generated);
    });

    it('is echoed on error responses too, even those Fastify answers before routing', async () => {
      const notFound = await bank.request({ method: 'GET', url: '/nowhere', headers: { 'X-Correlation-Id': 'trace-404' } });
      const tooLarge = await bank.request({
        url: '/accounts',
        body: { owner: 'o'.repeat(2 * 1024 * 1024) },
        headers: { 'X-Correlation-Id': 'trace-413' },
      });

      expect(notFound.headers['x-correlation-id']).toBe('trace-404');
      expect(tooLarge.headers['x-correlation-id']).toBe('trace-413');
    });

    it.each([
      ['a space', 'has space'],
      ['over 128 characters', 'c'.repeat(129)],
      ['a slash', 'a/b'],
    ])('refuses an id with %s with a 400 naming it, and echoes a fresh one instead', async (_case, value) => {
      const id = await bank.openAccount();

      const reply = await bank.deposit(id, 1, { 'X-Correlation-Id': value });

      expect(fieldsOf(expectProblem(reply, 400, 'INVALID_HEADER'))).toEqual(['X-Correlation-Id']);
      expect(String(reply.headers['x-correlation-id'])).toMatch(UUID);
    });

    it('names every malformed header at once', async () => {
      const id = await bank.openAccount();
      const reply = await bank.deposit(id, 1, { 'If-Match': '1', 'Idempotency-Key': '', 'X-Correlation-Id': '?' });
      expect(fieldsOf(expectProblem(reply, 400, 'INVALID_HEADER')).sort()).toEqual([
        'Idempotency-Key',
        'If-Match',
        'X-Correlation-Id',
      ]);
    });
  });
});
