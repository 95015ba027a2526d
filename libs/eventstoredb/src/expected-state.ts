import { ANY, NO_STREAM, STREAM_EXISTS, type AppendStreamState, type CurrentStreamState } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '@strata/core/adapter';

/** Core's expected revision as the client's stream state; the modes map one to one. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/**
 * The stream's actual state from a server conflict, as core reports it. A deleted (-5) or
 * tombstoned (-6) stream, or any other negative state, holds no events: 'no_stream'.
 */
export function fromCurrentState(actual: CurrentStreamState): bigint | 'no_stream' {
  return actual === NO_STREAM || actual < 0n ? 'no_stream' : actual;
}
