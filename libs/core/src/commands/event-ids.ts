import { v5 as uuidv5 } from 'uuid';

// A fixed namespace, so every process derives the same ids from the same command.
const STRATA_NAMESPACE = '6f1c2a3e-8a4b-5c6d-9e0f-1a2b3c4d5e6f';

/** The id of the `index`-th event a command appends to a stream: the same on every retry. */
export function deriveEventId(commandId: string, streamId: string, index: number): string {
  return uuidv5(`${streamId}\u0000${commandId}\u0000${index}`, STRATA_NAMESPACE);
}

/** A stable id derived from a name, for ids that must repeat with a command (new entities). */
export function deriveId(...parts: readonly string[]): string {
  return uuidv5(parts.join('\u0000'), STRATA_NAMESPACE);
}
