import type { CommandContext } from '../commands/command-context';
import type { IntegrationData, IntegrationEventContract, IntegrationMessage } from './integration-event';

/** A message of one of the contracts in `C`, its `type` and `data` narrowed together. */
export type InboxMessage<C extends IntegrationEventContract> = C extends IntegrationEventContract<infer Name>
  ? Omit<IntegrationMessage<IntegrationData<C>>, 'type'> & { readonly type: Name }
  : never;

/** What an inbox handler gets besides the message. */
export interface InboxContext {
  /**
   * The context for the `index`-th command the message causes: its id derives from the
   * message id, so a redelivered message appends nothing new. Its causation is the message,
   * its correlation the publisher's.
   */
  command(index?: number): CommandContext;
}

/**
 * Turns integration messages into commands. It runs once per message in the normal case and
 * again on a redelivery, so it must send its commands with `ctx.command(i)`: the ids make the
 * repeats no-ops. A throw is retried with backoff, then the message is parked.
 */
export interface InboxHandler<C extends IntegrationEventContract = IntegrationEventContract> {
  handle(message: InboxMessage<C>, ctx: InboxContext): Promise<void>;
}

/** What `@Inbox` declares. */
export interface InboxOptions {
  /** The durable consumer name (one queue per receiving service): lower-case letters, digits, '-'. */
  readonly name: string;
  /** The contracts it receives; a message of any other type or version is parked. */
  readonly events: readonly IntegrationEventContract[];
}
