/**
 * How many events a runner's next batch takes. A batch holds its lease without renewing it: one
 * that takes longer than the lease lets another instance take over, which fails this commit,
 * then its own, each in turn. So a batch that took more than a fifth of the lease shrinks the
 * next ones to fit (a slow store, a busy machine), and batches grow back towards the setting
 * while they are quick. Kept after a failed commit too, for the next time the lease is held.
 */
export class LeaseBatchLimit {
  private current: number;

  constructor(
    private readonly max: number,
    private readonly leaseTtlMs: number,
  ) {
    this.current = max;
  }

  /** Events to take next. */
  get size(): number {
    return this.current;
  }

  /** Records that a batch of `events` took `ms` to apply and commit. */
  record(events: number, ms: number): void {
    const budget = this.leaseTtlMs / 5;
    if (ms > budget) this.current = Math.max(1, Math.floor((events * budget) / ms));
    else if (events >= this.current && ms < budget / 2) this.current = Math.min(this.max, this.current * 2);
  }
}
