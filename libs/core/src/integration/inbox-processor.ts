import type { LoggerService } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import type { CommandContext } from '../commands/command-context';
import { deriveId } from '../commands/event-ids';
import { backoffDelay, type RetryPolicy } from '../commands/retry-policy';
import { DomainError, StrataError } from '../errors/strata-error';
import { httpStatusOf } from '../http/http-status';
import { contextFromCarrier, inSpan } from '../observability/tracing';
import type { InboxContext, InboxHandler, InboxMessage, InboxOptions } from './inbox-handler';
import type { InboxParking } from './inbox-parking';
import type { IntegrationEventContract, IntegrationMessage } from './integration-event';
import type { Delivery } from './integration-transport';
import { checkMessage, InvalidIntegrationMessageError } from './message-validation';

/** What became of one delivery. */
export type InboxOutcome = 'applied' | 'parked' | 'held' | 'stopped';

/**
 * Applies one delivery: checks it against the contracts, runs the handler (retrying with
 * backoff what may pass on a retry), and acknowledges only once the handler's commands have
 * committed or the message is parked. A message that is malformed, breaks its contract or is
 * refused by the domain is parked at once: a retry could not change the answer.
 */
export class InboxProcessor {
  private readonly contracts: ReadonlyMap<string, IntegrationEventContract>;

  constructor(
    readonly options: InboxOptions,
    private readonly handler: InboxHandler<never>,
    private readonly parking: InboxParking,
    private readonly retry: RetryPolicy,
    private readonly logger: LoggerService,
    private readonly stopping: () => boolean = () => false,
  ) {
    this.contracts = new Map(options.events.map((contract) => [contract.name, contract]));
  }

  async process(delivery: Delivery): Promise<InboxOutcome> {
    const message = delivery.message;
    if (message === null) return this.parkNow(delivery, new InvalidIntegrationMessageError(delivery.problem ?? 'Not an integration message.'), 1);
    if (await this.parking.holds(message.key)) {
      await this.parking.park(delivery, new StrataError('HELD_BEHIND_PARKED', `Held behind an earlier parked message with key '${message.key}'; 'parked retry' applies them in order.`), 0, Date.now(), true);
      await delivery.ack();
      return 'held';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.apply(message);
        await delivery.ack();
        return 'applied';
      } catch (error) {
        if (isPermanent(error) || attempt >= this.retry.maxAttempts) return this.parkNow(delivery, error, attempt);
        const delay = Math.max(1, backoffDelay(this.retry, attempt));
        this.logger.warn(`Inbox '${this.options.name}' retries ${message.type} ${message.id} in ${delay} ms (attempt ${attempt + 1} of ${this.retry.maxAttempts}): ${messageOf(error)}`);
        delivery.working();
        await new Promise((resolve) => setTimeout(resolve, delay));
        // Unacknowledged, the broker delivers it again to whoever consumes next.
        if (this.stopping()) return 'stopped';
      }
    }
  }

  /** Checks and applies one message, as a retry from the CLI does: throws what the handler threw. */
  async apply(message: IntegrationMessage): Promise<void> {
    const data = await checkMessage(message, this.contracts);
    const typed = { ...message, data } as unknown as InboxMessage<never>;
    const attributes = { 'strata.inbox': this.options.name, 'strata.message_type': message.type, 'strata.message_id': message.id };
    await inSpan(`strata.inbox ${message.type}`, { attributes, kind: SpanKind.CONSUMER, parent: contextFromCarrier(message.headers), isFault: (error) => !isPermanent(error) }, () =>
      this.handler.handle(typed, contextFor(this.options.name, message)),
    );
  }

  private async parkNow(delivery: Delivery, error: unknown, attempts: number): Promise<InboxOutcome> {
    const parked = await this.parking.park(delivery, error, attempts);
    await delivery.ack();
    this.logger.error(`Inbox '${this.options.name}' parked ${parked.eventType} ${parked.eventId || '(no id)'} after ${attempts} attempt(s): ${parked.error}`);
    return 'parked';
  }
}

/** The command context of a message's commands: ids derived from the message id, so a redelivery is a repeat. */
export function contextFor(inbox: string, message: IntegrationMessage): InboxContext {
  const correlationId = message.headers['correlation-id'];
  return {
    command: (index = 0): CommandContext => ({
      commandId: deriveId('inbox-command', inbox, message.id, String(index)),
      causationId: message.id,
      ...(correlationId === undefined ? {} : { correlationId }),
    }),
  };
}

/** Errors a retry cannot change: a broken message, or the domain refusing (a 4xx other than a conflict). */
function isPermanent(error: unknown): boolean {
  if (error instanceof InvalidIntegrationMessageError || error instanceof DomainError) return true;
  if (!StrataError.isStrataError(error)) return false;
  const status = httpStatusOf(error);
  return status >= 400 && status < 500 && status !== 409;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
