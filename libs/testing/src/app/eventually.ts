import { setTimeout as sleep } from 'node:timers/promises';

/** Retries `check` (an assertion or a probe) until it stops throwing, for up to `timeoutMs`; rethrows its last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
