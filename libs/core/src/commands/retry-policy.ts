import { ConfigurationError } from '../errors/strata-error';

/** How often a command that hit a concurrent write is re-decided. */
export interface RetryPolicy {
  /** Attempts in all, including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 100 };

/** Full-jitter exponential backoff: a random delay up to the capped exponential step. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The policy `StrataModule.forRoot({ retry })` asks for, over the defaults, checked once at
 * start-up: a policy that could retry forever (a NaN) or never wait sensibly is refused.
 */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  const wholeIn = (name: keyof RetryPolicy, min: number, max: number): void => {
    const value = policy[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigurationError(`retry.${name}`, `${String(value)} is not a whole number from ${min} to ${max}.`);
    }
  };
  wholeIn('maxAttempts', 1, 1000);
  wholeIn('baseDelayMs', 0, 60_000);
  wholeIn('maxDelayMs', 0, 60_000);
  if (policy.baseDelayMs > policy.maxDelayMs) {
    throw new ConfigurationError('retry.baseDelayMs', `${policy.baseDelayMs} is more than retry.maxDelayMs (${policy.maxDelayMs}).`);
  }
  return policy;
}
