import { DEFAULT_RESUBSCRIBE_BACKOFF, resubscribeDelay } from './resubscribe-backoff';

describe('resubscribe backoff', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const backoff = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => resubscribeDelay(attempt, backoff))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('stays finite and capped however long the server is away', () => {
    expect(resubscribeDelay(10_000)).toBe(DEFAULT_RESUBSCRIBE_BACKOFF.maxDelayMs);
    expect(resubscribeDelay(0)).toBe(DEFAULT_RESUBSCRIBE_BACKOFF.baseDelayMs);
  });
});
