/**
 * A sleep that something else can cut short: the runner idles on it between polls, and an
 * append in this process, a commit or a stop request wakes it at once.
 */
export class WakeUp {
  private waiters = new Set<() => void>();
  private pending = false;

  /**
   * `remember`: a wake while nobody sleeps ends the next sleep at once. A runner that checks for
   * work, then awaits a store before it sleeps, would otherwise miss an append made in between.
   */
  constructor(private readonly remember = false) {}

  /** Resolves after `ms`, or sooner when `wake` is called. Never rejects. */
  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  /** Ends every sleep in progress (or, remembering, the next one when none is). */
  wake(): void {
    if (this.waiters.size === 0) {
      this.pending = this.remember;
      return;
    }
    const waiters = [...this.waiters];
    this.waiters = new Set();
    for (const waiter of waiters) waiter();
  }
}
