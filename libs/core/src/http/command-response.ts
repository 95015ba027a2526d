import type { CommandResult } from '../commands/command-result';
import { revisionETag } from './command-context-headers';

/** What a command endpoint answers: the entity's id, its new revision and the global position to read it back at. */
export interface CommandResponse {
  readonly id: string;
  readonly revision: number;
  readonly position: string;
}

/** The part of a Fastify reply the controller uses, so it needs no import of Fastify itself. */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** Options of `commandResponse`. */
export interface CommandResponseOptions {
  /** Sent as `Location`: where the entity a create made can be read, e.g. `/accounts/{id}`. */
  readonly location?: string;
}

/**
 * Sets `ETag` from the result (and `Location` when given) and shapes the body; a repeated
 * command yields the same of both, so a retried create is indistinguishable from the first.
 */
export function commandResponse(reply: HeaderSink, id: string, result: CommandResult, options: CommandResponseOptions = {}): CommandResponse {
  reply.header('ETag', revisionETag(result.revision));
  if (options.location !== undefined) reply.header('Location', options.location);
  // Revisions stay far below 2^53, so the JSON number is exact.
  return { id, revision: Number(result.revision), position: result.position };
}
