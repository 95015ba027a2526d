import { Clock } from '@strata/core';

/** A clock that moves only when told: pass it as `StrataModule.forRoot({ clock })` for virtual-time e2e tests. */
export class ManualClock extends Clock {
  constructor(private current = Date.parse('2026-01-01T00:00:00Z')) {
    super();
  }

  override now(): number {
    return this.current;
  }

  /** Moves time forward by `ms`; deadlines due by then fire on the scheduler's next poll. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance: ${ms} is not a forward step in milliseconds.`);
    this.current += ms;
  }
}
