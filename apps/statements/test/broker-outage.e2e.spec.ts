import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moveMoney, openAccounts, type AccountTally } from './bank-traffic';
import { NatsServerProcess, NATS_SERVER_BINARY } from './nats-server-process';
import { startService, stopAll, type ServiceProcess } from './service-process';

const describeWithBinary = NatsServerProcess.available() ? describe : describe.skip;
const title = NatsServerProcess.available() ? 'a NATS outage under load' : `a NATS outage under load [skipped: no NATS server binary at ${NATS_SERVER_BINARY}]`;

async function balances(statements: ServiceProcess, accounts: readonly AccountTally[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const account of accounts) {
    const response = await fetch(`${statements.url}/statements/${account.id}`).catch(() => null);
    const body = response?.ok ? ((await response.json()) as { balance: number; movements: number }) : null;
    if (body?.balance !== account.balance || body.movements !== account.movements) wrong.push(`${account.id}: ${JSON.stringify(body)} vs ${account.balance}/${account.movements}`);
  }
  return wrong;
}

describeWithBinary(title, () => {
  jest.setTimeout(15 * 60_000);
  const dirs = [mkdtempSync(join(tmpdir(), 'strata-bank-')), mkdtempSync(join(tmpdir(), 'strata-statements-'))];
  let nats: NatsServerProcess;

  afterAll(async () => {
    await stopAll();
    await nats?.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the bank taking commands while the broker is down, then publishes from its checkpoint and loses nothing', async () => {
    nats = await NatsServerProcess.start();
    const broker = { STRATA_INTEGRATION_TRANSPORT: 'nats', STRATA_NATS_URL: nats.url, STRATA_NATS_ACK_WAIT_MS: '2000', STRATA_NATS_PUBLISH_TIMEOUT_MS: '1000' };
    const [bank, statements] = await Promise.all([
      startService('bank', { ...broker, STRATA_DATA_DIR: dirs[0] as string }),
      startService('statements', { ...broker, STRATA_DATA_DIR: dirs[1] as string }),
    ]);
    const target = { url: () => bank.url };
    const accounts = await openAccounts(target, 20);
    await moveMoney(target, accounts, 200, 8, () => undefined);

    await nats.kill();
    let refused = 0;
    // Every command during the outage is acknowledged (sendUntilAcknowledged would time out otherwise).
    await moveMoney(target, accounts, 300, 8, async () => {
      const ready = await fetch(`${bank.url}/health/ready`);
      if (ready.status !== 200) refused += 1;
    });
    expect(refused).toBe(0);
    const metrics = await (await fetch(`${bank.url}/metrics`)).text();
    const lag = /strata_subscription_lag_events\{kind="publisher",name="bank"\} (\d+)/.exec(metrics);
    expect(Number(lag?.[1])).toBeGreaterThan(0);

    await nats.resume();
    await moveMoney(target, accounts, 100, 8, () => undefined);
    const deadline = Date.now() + 5 * 60_000;
    let wrong = await balances(statements, accounts);
    while (wrong.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      wrong = await balances(statements, accounts);
    }
    expect(wrong).toEqual([]);
    expect(accounts.reduce((sum, account) => sum + account.movements, 0)).toBe(600);
  });
});
