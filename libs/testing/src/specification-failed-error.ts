/**
 * A given-when-then specification did not hold.
 *
 * A plain `Error` rather than Node's `AssertionError`: jest rewrites errors named
 * `AssertionError` with its own diff, which would print the difference twice.
 */
export class SpecificationFailedError extends Error {
  /** What the specification expected, when it expected a value. */
  readonly expected: unknown;
  /** What the code under test produced: its events, or the error it threw. */
  readonly actual: unknown;

  constructor(message: string, details: { expected?: unknown; actual?: unknown; cause?: unknown } = {}) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined);
    this.name = 'SpecificationFailedError';
    this.expected = details.expected;
    this.actual = details.actual;
  }
}
