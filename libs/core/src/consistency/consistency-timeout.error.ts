import { StrataError } from '../errors/strata-error';
import type { Position } from '../event-store/position';

/** Read-your-writes gave up: the projections behind a query did not reach the position in time (HTTP 503). */
export class ConsistencyTimeoutError extends StrataError {
  constructor(
    readonly position: Position,
    readonly behind: readonly string[],
    readonly timeoutMs: number,
  ) {
    super(
      'CONSISTENCY_TIMEOUT',
      `The read model is not yet at position ${position}: projection${behind.length === 1 ? '' : 's'} ${behind.map((name) => `'${name}'`).join(', ')} ` +
        `did not reach it within ${timeoutMs} ms. Retry the query shortly; nothing was changed.`,
    );
  }
}
