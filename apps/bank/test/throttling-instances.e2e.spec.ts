import { describeWithPostgres } from '@strata/testing/postgres';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';

const LIMIT = 6;

// STRATA_THROTTLE_STORE=postgres: one budget per client, whichever instance it reaches.
describeWithPostgres('throttling across two bank instances (STRATA_THROTTLE_STORE=postgres)', (database) => {
  const banks: BankProcess[] = [];
  const env = (): Record<string, string> => ({
    STRATA_EVENT_STORE: 'postgres',
    STRATA_READ_STORE: 'postgres',
    DATABASE_URL: database.url(),
    STRATA_POSTGRES_SCHEMA: 'bank',
    STRATA_POSTGRES_POOL_SIZE: '2',
    STRATA_THROTTLE_LIMIT: String(LIMIT),
    STRATA_THROTTLE_TTL_MS: '600000',
    STRATA_THROTTLE_STORE: 'postgres',
  });

  beforeAll(async () => {
    for (let n = 0; n < 2; n++) banks.push(await spawnBank(env()));
    await Promise.all(banks.map((bank) => waitUntilServing(bank, 120_000)));
  }, 300_000);

  afterAll(async () => {
    for (const bank of banks) if (bank.child.exitCode === null && bank.child.signalCode === null) bank.child.kill('SIGTERM');
    await Promise.all(banks.map((bank) => bank.exited));
  });

  it('admits the limit once across both instances, then answers 429 from either', async () => {
    const [a, b] = banks as [BankProcess, BankProcess];
    // waitUntilServing's requests to an unknown route are answered 404 before any guard: they do not count.
    const spent = 0;
    const statuses: number[] = [];
    for (let n = 0; n < 2 * LIMIT; n++) {
      const bank = n % 2 === 0 ? a : b;
      const answer = await fetch(`${bank.url}/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ owner: `t${n}` }) });
      statuses.push(answer.status);
    }
    // Counted per instance, each would admit LIMIT: 2 * LIMIT - spent in all.
    expect(statuses.filter((status) => status === 201)).toHaveLength(LIMIT - spent);
    expect(statuses.slice(LIMIT - spent)).toEqual(Array.from({ length: LIMIT + spent }, () => 429));
    expect(a.output()).toContain(`Throttling is on: ${LIMIT} requests per client every 600000 ms, counted in postgres, across every instance.`);
  });

  it('refuses to start on a throttle store it does not know, in one line', async () => {
    const bank = await spawnBank({ ...env(), STRATA_THROTTLE_STORE: 'redis' });
    expect(await bank.exited).toBe(1);
    expect(bank.output()).toContain("STRATA_THROTTLE_STORE: 'redis' is not a throttle store this app registered: use one of memory, postgres.");
  }, 120_000);
});
