import { ConfigurationError } from '../errors/strata-error';
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './retry-policy';

describe('resolveRetryPolicy', () => {
  it('is the default policy when nothing is asked for', () => {
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('takes what is given over the defaults', () => {
    expect(resolveRetryPolicy({ maxAttempts: 3 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 3 });
    expect(resolveRetryPolicy({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 })).toEqual({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 });
  });

  it.each([
    ['retry.maxAttempts', { maxAttempts: 0 }],
    ['retry.maxAttempts', { maxAttempts: Number.NaN }],
    ['retry.maxAttempts', { maxAttempts: 2.5 }],
    ['retry.maxAttempts', { maxAttempts: 1001 }],
    ['retry.baseDelayMs', { baseDelayMs: -1 }],
    ['retry.maxDelayMs', { maxDelayMs: Number.POSITIVE_INFINITY }],
    ['retry.baseDelayMs', { baseDelayMs: 200, maxDelayMs: 100 }],
  ])('refuses %s in %p, naming it', (variable, retry) => {
    expect(() => resolveRetryPolicy(retry)).toThrow(ConfigurationError);
    expect(() => resolveRetryPolicy(retry)).toThrow(new RegExp(`^${variable.replace('.', '\\.')}: `));
  });
});
