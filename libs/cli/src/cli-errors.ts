import { StrataError } from '@strata/core';

/** How the CLI exits: 0 done, 1 the work failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line was wrong (exit 2): an unknown name, a missing argument, a bad flag value. */
export class UsageError extends StrataError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** The work failed in a way the command already described (exit 1); the message is the one-line reason. */
export class CommandFailedError extends StrataError {
  constructor(message: string) {
    super('COMMAND_FAILED', message);
  }
}

/** Strata error codes that mean the command line named something that does not exist. */
const USAGE_CODES = new Set(['USAGE', 'UNKNOWN_PROJECTION', 'UNKNOWN_PROJECTION_VERSION', 'UNKNOWN_PARKED_EVENT', 'INVALID_POSITION']);

/** The exit code for an error a command threw. */
export function exitCodeOf(error: unknown): number {
  return StrataError.isStrataError(error) && USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
}
