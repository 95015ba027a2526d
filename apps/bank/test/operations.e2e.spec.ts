import { Draining, Projections, shutDownGracefully } from '@strata/core';
import { BankTestApp } from './bank-test-app';
import { LogLines } from './log-lines';

interface HealthBody {
  status: 'ok' | 'error';
  error: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string }>;
}

describe('operating the bank: health, metrics, headers, OpenAPI, draining', () => {
  let bank: BankTestApp;
  const logs = new LogLines();
  let stopped = false;

  beforeAll(async () => {
    bank = await BankTestApp.start({
      strata: { env: { STRATA_READY_MAX_LAG_EVENTS: '3', STRATA_READY_MAX_LAG_SECONDS: '3600' } },
      logger: { level: 'info', destination: logs },
    });
  });

  afterAll(async () => {
    if (!stopped) await bank.stop();
  });

  async function ready(): Promise<{ status: number; body: HealthBody }> {
    const reply = await bank.get('/health/ready');
    return { status: reply.status, body: reply.json<HealthBody>() };
  }

  it('says once at start-up that auth and throttling are off', () => {
    expect(logs.matching('Auth is off')).toHaveLength(1);
    expect(logs.matching('Throttling is off')).toHaveLength(1);
  });

  it('is live, and ready with every check up', async () => {
    expect((await bank.get('/health/live')).json()).toMatchObject({ status: 'ok' });
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(Object.keys(body.details).sort()).toEqual(['accepting', 'eventStore', 'projectionVersions', 'readStore', 'storage', 'subscriptions']);
    expect(body.details.subscriptions).toMatchObject({ status: 'up', 'projection:accounts': { lagEvents: 0 }, 'saga:transfer': { lagEvents: 0 } });
  });

  it('is not ready while a projection is stopped beyond the lag bound, and ready again once it catches up', async () => {
    const id = await bank.openAccount('Ada');
    const accounts = bank.app.get(Projections).runner('accounts');
    await accounts.stop();
    for (let i = 0; i < 4; i++) expect((await bank.deposit(id, 10)).status).toBe(200);

    const behind = await ready();
    expect(behind.status).toBe(503);
    expect(behind.body.status).toBe('error');
    expect(behind.body.error.subscriptions).toMatchObject({ status: 'down', message: expect.stringContaining('accounts') as unknown, 'projection:accounts': { lagEvents: 4 } });

    accounts.start();
    const until = Date.now() + 10_000;
    while ((await ready()).status !== 200) {
      if (Date.now() > until) throw new Error('still not ready 10 s after the projection restarted');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('serves Prometheus metrics: commands by outcome, latency, appends, lags, parked, replay progress', async () => {
    const id = await bank.openAccount('Grace');
    await bank.deposit(id, 100);
    expect((await bank.withdraw(id, 1_000)).status).toBe(422);
    await bank.app.get(Projections).replay('accounts');

    const reply = await bank.get('/metrics');
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = reply.body;
    expect(text).toMatch(/^strata_commands_total\{command="DepositMoney",outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^strata_commands_total\{command="WithdrawMoney",outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^strata_command_duration_seconds_bucket\{le="0\.1",command="OpenAccount",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^strata_events_appended_total\{event_type="MoneyDeposited"\} [1-9]/m);
    expect(text).toMatch(/^strata_subscription_lag_events\{kind="projection",name="account-transactions"\} \d+$/m);
    expect(text).toMatch(/^strata_subscription_lag_seconds\{kind="saga",name="transfer"\} [\d.e-]+$/m);
    expect(text).toMatch(/^strata_subscription_parked_events\{kind="projection",name="accounts"\} 0$/m);
    expect(text).toMatch(/^strata_replay_events_done\{projection="accounts"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('sends helmet security headers on every answer, errors included', async () => {
    for (const reply of [await bank.get('/health/live'), await bank.get('/accounts/nope')]) {
      expect(reply.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age=') as unknown,
        'content-security-policy': expect.stringContaining("default-src 'self'") as unknown,
      });
    }
  });

  it('serves OpenAPI at /docs, generated from the DTOs, with problem+json errors documented', async () => {
    const ui = await bank.get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.headers['content-type'])).toMatch(/text\/html/);
    const doc = (await bank.get('/docs/json')).json<{
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> };
    }>();
    const deposit = doc.paths['/accounts/{id}/deposits']?.['post'];
    expect(Object.keys(deposit?.responses ?? {}).sort()).toEqual(['200', '400', '401', '404', '409', '412', '413', '415', '422', '429']);
    expect(deposit?.responses['422']?.content?.['application/problem+json']?.schema.$ref).toBe('#/components/schemas/ProblemDetailsDto');
    expect(doc.components.schemas['AmountDto']?.properties['amount']).toMatchObject({ type: 'integer', minimum: 1, maximum: 1_000_000_000_000 });
    expect(doc.components.schemas['ProblemDetailsDto']?.required).toEqual(['type', 'title', 'status', 'detail']);
    expect(doc.components.schemas['RequestTransferDto']?.properties).toHaveProperty('from');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/accounts', '/accounts/{id}', '/transfers', '/transfers/{id}', '/health/ready', '/metrics']));
  });

  it('turns ready false while draining, still serving during the delay, then closes cleanly', async () => {
    const url = await bank.listen();
    const shutdown = shutDownGracefully(bank.app, { timeoutMs: 5_000, delayMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bank.app.get(Draining).draining).toBe(true);
    const during = await fetch(`${url}/health/ready`);
    expect(during.status).toBe(503);
    expect(((await during.json()) as HealthBody).error.accepting).toMatchObject({ status: 'down' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(await shutdown).toBe('clean');
    stopped = true;
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
