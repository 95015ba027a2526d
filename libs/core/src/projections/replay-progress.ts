/** Where a replay stands, handed to its progress callback after every batch. */
export interface ReplayProgress {
  readonly projection: string;
  /** `building` from the start of the log; `catching-up` once it holds the projection's lease; `swapped` at the end. */
  readonly phase: 'building' | 'catching-up' | 'swapped';
  /** Events of the log read so far (every event, whether the projection handles its type or not). */
  readonly done: number;
  /** Events in the log now; null where the store's positions do not count events. */
  readonly total: number | null;
  readonly eventsPerSecond: number;
  /** Seconds until `done` reaches `total` at the rate so far; null when unknown. */
  readonly etaSeconds: number | null;
  readonly elapsedMs: number;
}

/** Turns counts into a progress report: the rate is the average since the start, which holds steady. */
export class ProgressMeter {
  private readonly startedAt: number;

  constructor(
    private readonly projection: string,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  get elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  report(phase: ReplayProgress['phase'], done: number, total: number | null): ReplayProgress {
    const elapsedMs = this.elapsedMs;
    const eventsPerSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const remaining = total === null ? null : Math.max(0, total - done);
    const etaSeconds = remaining === null || eventsPerSecond === 0 ? null : remaining / eventsPerSecond;
    return { projection: this.projection, phase, done, total, eventsPerSecond, etaSeconds, elapsedMs };
  }
}
