/**
 * A sleep that something else can cut short: the runner idles on it between polls, and an
 * append in this process, a commit or a stop request wakes it at once.
 */
export class WakeUp {
  private waiters = new Set<() => void>();

  /** Resolves after `ms`, or sooner when `wake` is called. Never rejects. */
  sleep(ms: number): Promise<void> {
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

  /** Ends every sleep in progress. */
  wake(): void {
    const waiters = [...this.waiters];
    this.waiters = new Set();
    for (const waiter of waiters) waiter();
  }
}
