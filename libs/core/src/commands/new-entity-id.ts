import { randomUUID } from 'node:crypto';
import type { CommandContext } from './command-context';
import { deriveId } from './event-ids';

/**
 * The id of a new entity: random, or, for a keyed (idempotent) create, derived from the key, so
 * a repeat reaches the stream the first one made. Per user when auth is on, so one user's key
 * never leads to another's entity.
 */
export function newEntityId(kind: string, context: CommandContext): string {
  const key = context.commandId;
  if (key === undefined) return randomUUID();
  return context.user === undefined ? deriveId(kind, key) : deriveId(kind, context.user, key);
}
