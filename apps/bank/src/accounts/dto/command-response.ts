import { revisionETag, type CommandResult } from '@strata/core';

/** What every account command answers: the account, its new revision and the global position. */
export interface CommandResponse {
  readonly id: string;
  readonly revision: number;
  readonly position: string;
}

/** The part of a Fastify reply the controller uses, so it needs no import of Fastify itself. */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** Sets `ETag` from the result and shapes the body; a repeated command yields the same of both. */
export function commandResponse(reply: HeaderSink, id: string, result: CommandResult): CommandResponse {
  reply.header('ETag', revisionETag(result.revision));
  // Revisions stay far below 2^53, so the JSON number is exact.
  return { id, revision: Number(result.revision), position: result.position };
}
