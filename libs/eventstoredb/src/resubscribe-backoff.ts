/** How a dropped live subscription waits before it subscribes again. */
export interface ResubscribeBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESUBSCRIBE_BACKOFF: ResubscribeBackoff = { baseDelayMs: 250, maxDelayMs: 30_000 };

/** Capped exponential backoff: base, 2×base, 4×base … up to max, for the nth consecutive drop (1-based). */
export function resubscribeDelay(attempt: number, backoff: ResubscribeBackoff = DEFAULT_RESUBSCRIBE_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** exponent);
}
