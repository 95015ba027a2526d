import type { CommandContext } from '@strata/core';
import type { Requester } from './account.decider';

/** The authenticated user a command acts for, as the decider checks ownership against it. */
export function requesterOf(context: CommandContext): Requester {
  return context.user === undefined ? {} : { requestedBy: context.user };
}
