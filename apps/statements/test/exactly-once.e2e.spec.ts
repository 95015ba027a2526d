import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeWithService } from '@strata/testing';
import { moveMoney, openAccounts, type AccountTally } from './bank-traffic';
import { crash, startService, stopAll, stopService, type ServiceProcess } from './service-process';

const ACCOUNTS = 200;
// 200 openings and 9,800 movements: 10,000 events the bank publishes.
const MOVEMENTS = 9_800;

/** Both services on one NATS server, each with its own data dir; names unique to this run. */
function environment(): { bank: Record<string, string>; statements: Record<string, string>; dirs: string[] } {
  const scope = randomUUID().slice(0, 8);
  const broker = { STRATA_INTEGRATION_TRANSPORT: 'nats', STRATA_NATS_STREAM: `E2E_${scope}`, STRATA_NATS_SUBJECT_PREFIX: `e2e${scope}`, STRATA_NATS_ACK_WAIT_MS: '2000' };
  const bankDir = mkdtempSync(join(tmpdir(), 'strata-bank-'));
  const statementsDir = mkdtempSync(join(tmpdir(), 'strata-statements-'));
  // Short leases, so a restarted process takes over from the one it replaces soon after the crash.
  const fast = { STRATA_PROJECTION_LEASE_MS: '2000', STRATA_THROTTLE_LIMIT: '1000000' };
  return {
    bank: { ...broker, ...fast, STRATA_DATA_DIR: bankDir },
    statements: { ...broker, ...fast, STRATA_DATA_DIR: statementsDir },
    dirs: [bankDir, statementsDir],
  };
}

async function json<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls until every account's statement shows the balance and movements the bank acknowledged. */
async function statementsMatch(statements: () => ServiceProcess, accounts: readonly AccountTally[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let mismatches: string[] = [];
  do {
    mismatches = [];
    for (const account of accounts) {
      const { status, body } = await json<{ balance: number; movements: number }>(`${statements().url}/statements/${account.id}`).catch(() => ({ status: 0, body: { balance: NaN, movements: NaN } }));
      if (status !== 200 || body.balance !== account.balance || body.movements !== account.movements) {
        mismatches.push(`${account.id}: statement ${status} ${body.balance}/${body.movements}, bank ${account.balance}/${account.movements}`);
      }
    }
    if (mismatches.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } while (Date.now() < deadline);
  return mismatches;
}

describeWithService('integration events end to end on NATS JetStream', { name: 'NATS', host: '127.0.0.1', port: 4222 }, () => {
  jest.setTimeout(15 * 60_000);
  const env = environment();
  let bank: ServiceProcess;
  let statements: ServiceProcess;

  afterAll(async () => {
    await stopAll();
    for (const dir of env.dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('applies each of 10,000 published events exactly once while the publisher and the consumer are each killed -9 mid-run', async () => {
    [bank, statements] = await Promise.all([startService('bank', env.bank), startService('statements', env.statements)]);
    const target = { url: () => bank.url };
    const accounts = await openAccounts(target, ACCOUNTS);
    let bankKilled = false;
    let statementsKilled = false;
    await moveMoney(target, accounts, MOVEMENTS, 16, async (done) => {
      if (!bankKilled && done >= MOVEMENTS * 0.3) {
        bankKilled = true;
        // The publisher dies between publishing and checkpointing: it publishes again from its checkpoint.
        await crash(bank);
        bank = await startService('bank', env.bank);
      }
      if (!statementsKilled && done >= MOVEMENTS * 0.6) {
        statementsKilled = true;
        // The consumer dies between committing and acknowledging: JetStream delivers again.
        await crash(statements);
        statements = await startService('statements', env.statements);
      }
    });
    expect(bankKilled && statementsKilled).toBe(true);
    const mismatches = await statementsMatch(() => statements, accounts, 5 * 60_000);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Every movement is recorded once: the statement streams hold one event per acknowledged command.
    const movements = accounts.reduce((sum, account) => sum + account.movements, 0);
    expect(movements).toBe(MOVEMENTS);
    const ready = await json<{ details: Record<string, unknown> }>(`${statements.url}/health/ready`);
    expect(ready.status).toBe(200);
    await Promise.all([stopService(bank), stopService(statements)]);
  });
});
