/**
 * How long a replay keeps the event loop to itself at a stretch. With synchronous stores, as
 * SQLite is, reading a page of the log, applying events and committing a unit of work each
 * run without a macrotask turn, so timers and HTTP requests of the same process wait for
 * them. A timer due meanwhile runs late by up to one stretch; at 5 ms, with room for a
 * garbage collection, that stays well under the 20 ms a service would feel.
 */
export const BATCH_BUDGET_MS = 5;

/** Events in the first page and the first batch, before any has been timed. */
const FIRST_SIZE = 200;
/** Weight of the latest measurement in a pace, so one slow stretch does not swing the size. */
const PACE_WEIGHT = 0.3;
/** The most a size grows over the one before. */
const MAX_GROWTH = 1.5;

/**
 * How many events fit in the budget for one kind of work: the running pace (milliseconds per
 * event, weighted towards the latest) says, at most `max`, growing by at most half at a time.
 */
export class Pace {
  private current: number;
  /** Milliseconds per event so far; null before the first measurement. */
  private perEvent: number | null = null;

  constructor(
    private readonly max: number,
    private readonly budgetMs: number,
  ) {
    this.current = Math.max(1, Math.min(max, FIRST_SIZE));
  }

  /** Events to take next. */
  get size(): number {
    return this.current;
  }

  /** Records that `events` took `elapsedMs`; `size` is what was asked for, against which a short take (the end of the log) says little. */
  record(size: number, events: number, elapsedMs: number): void {
    if (events === 0 || events < size / 2) return;
    const latest = Math.max(elapsedMs, 0) / events;
    this.perEvent = this.perEvent === null ? latest : this.perEvent + PACE_WEIGHT * (latest - this.perEvent);
    const fits = this.perEvent === 0 ? this.max : Math.floor(this.budgetMs / this.perEvent);
    this.current = Math.max(1, Math.min(this.max, Math.ceil(size * MAX_GROWTH), fits));
  }
}

/**
 * Sizes a replay's work by time, so no stretch of it keeps the event loop past `budgetMs`:
 * a batch (one page of the log, one unit of work) holds as many events as both reading them
 * and committing their writes fit in the budget, each a synchronous stretch of its own, and
 * applying them yields whenever a budget's worth of time is spent. (Batches spanning several
 * pages would spread each commit's fixed cost further, but keep events alive across turns,
 * which the garbage collector then promotes and collects at a higher price.)
 */
export class BatchSizer {
  readonly read: Pace;
  readonly commit: Pace;

  constructor(
    max: number,
    readonly budgetMs: number = BATCH_BUDGET_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.read = new Pace(max, budgetMs);
    this.commit = new Pace(max, budgetMs);
  }

  now(): number {
    return this.clock();
  }

  /** A function that yields to the event loop when a budget's worth of time passed since the last turn. */
  slicer(): () => Promise<void> | undefined {
    let since = this.clock();
    return () => {
      if (this.clock() - since < this.budgetMs) return undefined;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          since = this.clock();
          resolve();
        }),
      );
    };
  }
}
