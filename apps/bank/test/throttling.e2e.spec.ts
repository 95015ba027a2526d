import { BankTestApp, expectProblem } from './bank-test-app';
import { LogLines } from './log-lines';

describe('throttling (STRATA_THROTTLE_LIMIT)', () => {
  let bank: BankTestApp;
  const logs = new LogLines();

  beforeAll(async () => {
    bank = await BankTestApp.start({
      strata: { env: { STRATA_THROTTLE_LIMIT: '3', STRATA_THROTTLE_TTL_MS: '60000' } },
      logger: { level: 'info', destination: logs },
    });
  });

  afterAll(() => bank.stop());

  it('says at start-up that throttling is on', () => {
    expect(logs.matching('Throttling is on: 3 requests per client every 60000 ms')).toHaveLength(1);
    expect(logs.matching('Throttling is off')).toEqual([]);
  });

  it('answers the request past the limit with a 429 problem+json and Retry-After, and appends nothing', async () => {
    const id = await bank.openAccount('Ada');
    expect((await bank.deposit(id, 1)).status).toBe(200);
    expect((await bank.get(`/accounts/${id}`)).status).toBe(200);
    const refused = await bank.deposit(id, 1);
    expect(expectProblem(refused, 429, 'RATE_LIMITED').detail).toMatch(/at most 3 every 60000 ms/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await bank.eventsOf(id)).toHaveLength(2);
  });

  it('never throttles health and metrics', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await bank.get('/health/ready')).status).toBe(200);
      expect((await bank.get('/metrics')).status).toBe(200);
    }
  });
});
