/**
 * What the writer believes about the stream: any state, absent, present, or at exactly
 * this revision (the revision of its last event, starting at 0).
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** Checks an expected revision against the stream's current revision (-1n when absent). */
export function matchesExpectedRevision(expected: ExpectedRevision, current: bigint): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1n;
    case 'stream_exists':
      return current >= 0n;
    default:
      return current === expected;
  }
}
