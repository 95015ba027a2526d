/**
 * A reading that may be up to `maxAgeMs` old: callers within that time share the last answer,
 * and callers while a read is under way share that read. Health probes and metric scrapes ask
 * for a broker's backlog as often as they are sent; this bounds what they ask of the broker to
 * one request per `maxAgeMs`, whatever the probe rate, at the price of an answer that old.
 */
export class CachedReading<T> {
  private last: { readonly value: T; readonly at: number } | null = null;
  private inFlight: Promise<T> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) throw new RangeError(`A cached reading's maximum age must be 0 ms or more, not ${String(maxAgeMs)}.`);
  }

  /** The last answer while it is fresh enough, otherwise a new read (shared with concurrent callers). A failed read is not kept. */
  get(): Promise<T> {
    if (this.last !== null && this.now() - this.last.at < this.maxAgeMs) return Promise.resolve(this.last.value);
    this.inFlight ??= this.read()
      .then((value) => {
        // Aged from when the answer came, so a slow broker is not asked again at once.
        this.last = { value, at: this.now() };
        return value;
      })
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }
}
