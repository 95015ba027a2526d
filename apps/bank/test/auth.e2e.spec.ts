import { randomUUID } from 'node:crypto';
import { BankTestApp, expectProblem, type TransferBody } from './bank-test-app';
import { LogLines } from './log-lines';
import { bearer, JWT_ENV, tokenFor } from './tokens';

describe('auth (STRATA_AUTH=jwt)', () => {
  let bank: BankTestApp;
  const logs = new LogLines();
  const ada = bearer(tokenFor('ada'));
  const grace = bearer(tokenFor('grace'));
  let adaAccount: string;

  beforeAll(async () => {
    bank = await BankTestApp.start({ strata: { env: JWT_ENV }, logger: { level: 'info', destination: logs } });
    adaAccount = await bank.openAccount(null, ada);
    expect((await bank.deposit(adaAccount, 500, ada)).status).toBe(200);
  });

  afterAll(() => bank.stop());

  it('says at start-up that auth is on, and how', () => {
    expect(logs.matching('Auth is on: bearer JWTs (HS256, a shared secret)')).toHaveLength(1);
    expect(logs.matching('Auth is off')).toEqual([]);
  });

  describe('the matrix, on a command and on a query', () => {
    const routes = [
      (headers: Record<string, string>) => bank.deposit(adaAccount, 1, headers),
      (headers: Record<string, string>) => bank.request({ method: 'GET', url: `/accounts/${adaAccount}`, headers }),
    ];

    it.each<[string, () => Record<string, string>, RegExp]>([
      ['no token', () => ({}), /needs a bearer token/],
      ['a bad signature', () => bearer(tokenFor('ada', { secret: 'not-the-secret-but-also-32-bytes-long' })), /invalid signature/],
      ['a token expired past the clock tolerance', () => bearer(tokenFor('ada', { expiresIn: -120 })), /expired/],
      ['a token issued in the future', () => bearer(tokenFor('ada', { claims: { iat: Math.floor(Date.now() / 1000) + 3_600 } })), /issued in the future/],
      ['the wrong audience', () => bearer(tokenFor('ada', { claims: { aud: 'another-api' } })), /audience/],
      ['the wrong issuer', () => bearer(tokenFor('ada', { claims: { iss: 'https://evil.example' } })), /issuer/],
    ])('%s → 401 problem+json with WWW-Authenticate, and nothing appended', async (_case, headers, reason) => {
      const before = (await bank.eventsOf(adaAccount)).length;
      for (const route of routes) {
        const reply = await route(headers());
        expect(expectProblem(reply, 401, 'UNAUTHENTICATED').detail).toMatch(reason);
        expect(reply.headers['www-authenticate']).toBe('Bearer');
      }
      expect(await bank.eventsOf(adaAccount)).toHaveLength(before);
    });

    it("another owner → 404 on every account route, exactly as for an unknown account; and nothing appended", async () => {
      const before = (await bank.eventsOf(adaAccount)).length;
      const unknown = randomUUID();
      for (const id of [adaAccount, unknown]) {
        expectProblem(await bank.deposit(id, 1, grace), 404, 'ACCOUNT_NOT_FOUND');
        expectProblem(await bank.withdraw(id, 1, grace), 404, 'ACCOUNT_NOT_FOUND');
        expectProblem(await bank.close(id, grace), 404, 'ACCOUNT_NOT_FOUND');
        expectProblem(await bank.request({ method: 'GET', url: `/accounts/${id}`, headers: grace }), 404, 'ACCOUNT_NOT_FOUND');
        expectProblem(await bank.request({ method: 'GET', url: `/accounts/${id}/transactions`, headers: grace }), 404, 'ACCOUNT_NOT_FOUND');
      }
      const listed = await bank.request({ method: 'GET', url: '/accounts?owner=ada', headers: grace });
      expect(listed.json()).toEqual({ items: [], next: null });
      expect(await bank.eventsOf(adaAccount)).toHaveLength(before);
    });

    it('the owner → 2xx, with the token subject as owner and as the user in event metadata', async () => {
      const deposit = await bank.deposit(adaAccount, 5, ada);
      expect(deposit.status).toBe(200);
      const { position } = deposit.json<{ position: string }>();
      const view = await bank.request({ method: 'GET', url: `/accounts/${adaAccount}`, headers: { ...ada, 'X-Strata-Position': position } });
      expect(view.json()).toMatchObject({ owner: 'ada', balance: 505 });
      expect((await bank.request({ method: 'GET', url: `/accounts/${adaAccount}/transactions`, headers: ada })).status).toBe(200);
      expect((await bank.request({ method: 'GET', url: '/accounts', headers: ada })).json<{ items: unknown[] }>().items).toHaveLength(1);
      const events = await bank.eventsOf(adaAccount);
      expect(events.map((event) => event.metadata.user)).toEqual(events.map(() => 'ada'));
    });
  });

  it('opens accounts for the subject only: another owner in the body is a 403', async () => {
    const reply = await bank.request({ url: '/accounts', body: { owner: 'ada' }, headers: grace });
    expectProblem(reply, 403, 'OWNER_MISMATCH');
    expect((await bank.request({ url: '/accounts', body: { owner: 'grace' }, headers: grace })).status).toBe(201);
  });

  it('refuses to open an account for a subject longer than an owner may be, and appends nothing', async () => {
    const longSubject = bearer(tokenFor('s'.repeat(200)));
    const before = (await bank.store.readAll({ maxCount: 100_000 })).events.length;
    const problem = expectProblem(await bank.request({ url: '/accounts', body: {}, headers: longSubject }), 400, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ field: 'owner', message: expect.stringMatching(/token subject, which is 200 characters; an owner must be 1 to 100/) as unknown }]);
    expect((await bank.store.readAll({ maxCount: 100_000 })).events).toHaveLength(before);
    // 100 characters is still an owner.
    expect((await bank.request({ url: '/accounts', body: {}, headers: bearer(tokenFor('s'.repeat(100))) })).status).toBe(201);
  });

  it("never answers another user's Idempotency-Key with the first user's result", async () => {
    const key = `key-${randomUUID()}`;
    const first = await bank.deposit(adaAccount, 7, { ...ada, 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expectProblem(await bank.deposit(adaAccount, 7, { ...grace, 'Idempotency-Key': key }), 404, 'ACCOUNT_NOT_FOUND');
    const opened = await bank.request({ url: '/accounts', body: {}, headers: { ...grace, 'Idempotency-Key': key } });
    const adaOpened = await bank.request({ url: '/accounts', body: {}, headers: { ...ada, 'Idempotency-Key': key } });
    expect(opened.json<{ id: string }>().id).not.toBe(adaOpened.json<{ id: string }>().id);
  });

  it("moves money only out of the requester's own account, and shows a transfer to its requester only", async () => {
    const graceAccount = await bank.openAccount(null, grace);
    const stolen = await bank.transfer(adaAccount, graceAccount, 100, grace);
    expect(stolen.status).toBe(202);
    const { id, position } = stolen.json<{ id: string; position: string }>();
    const settled = await settledAs(id, position, grace);
    expect(settled).toMatchObject({ status: 'failed', reason: expect.stringContaining(`Account '${adaAccount}' does not exist`) as unknown });
    expectProblem(await bank.request({ method: 'GET', url: `/transfers/${id}`, headers: ada }), 404, 'TRANSFER_NOT_FOUND');

    const paid = await bank.transfer(adaAccount, graceAccount, 100, ada);
    const done = paid.json<{ id: string; position: string }>();
    expect(await settledAs(done.id, done.position, ada)).toMatchObject({ status: 'completed' });
  });

  it('keeps /health and /metrics open without a token', async () => {
    expect((await bank.get('/health/ready')).status).toBe(200);
    expect((await bank.get('/metrics')).status).toBe(200);
  });

  async function settledAs(id: string, position: string, headers: Record<string, string>): Promise<TransferBody> {
    const until = Date.now() + 10_000;
    for (let extra: Record<string, string> = { 'X-Strata-Position': position }; ; extra = {}) {
      const transfer = (await bank.request({ method: 'GET', url: `/transfers/${id}`, headers: { ...headers, ...extra } })).json<TransferBody>();
      if (transfer.status !== 'pending') return transfer;
      if (Date.now() > until) throw new Error(`transfer ${id} still pending`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
});
