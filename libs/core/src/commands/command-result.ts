import type { Position } from '../event-store/position';

/** What handling a command produced: where the stream now stands. */
export interface CommandResult {
  readonly streamId: string;
  /** The stream's revision after the command. */
  readonly revision: bigint;
  /** The global position of the command's last event: send it back as `X-Strata-Position`. */
  readonly position: Position;
  /** True when the command id had been handled before and nothing was appended. */
  readonly repeated: boolean;
}
