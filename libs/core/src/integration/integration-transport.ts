import type { Environment } from '../module/strata-adapter';
import type { IntegrationMessage } from './integration-event';

/** One message as a consumer receives it, with the means to settle it. */
export interface Delivery {
  /** The parsed message, or null when the payload is not a well-formed message (see `problem`). */
  readonly message: IntegrationMessage | null;
  /** Why `message` is null: the payload as received could not be read as a message. */
  readonly problem: string | null;
  /**
   * The broker message's own headers (text values): the message's headers, trace context
   * among them, for tools that read the broker rather than the payload.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload as received, kept when the message is parked. */
  readonly raw: string;
  /** How many times the broker has delivered it before (0 on first delivery). */
  readonly redeliveries: number;
  /** Settles the message for good: the broker will not deliver it again. */
  ack(): Promise<void>;
  /** Tells the broker the message is still being worked on, so it is not redelivered meanwhile. */
  working(): void;
}

/** A running consumption; `stop` lets the message in hand finish, leaves the rest unacknowledged. */
export interface Consumption {
  stop(): Promise<void>;
  /** False once the broker connection under it is gone for good; the inbox then consumes anew. */
  alive(): boolean;
}

/** What a consumer asks of its transport. */
export interface ConsumeOptions {
  /** The durable consumer (queue) name: one per receiving service. */
  readonly consumer: string;
  /** The contract names it receives. */
  readonly types: readonly string[];
  /** Called for one message at a time, in order; it settles the delivery itself. */
  readonly onDelivery: (delivery: Delivery) => Promise<void>;
}

/**
 * The port between Strata and a broker. `publish` resolves only once the broker has the
 * message durably (a JetStream ack, a RabbitMQ publisher confirm), and rejects otherwise.
 * Transports keep the order of messages published one after the other.
 */
export abstract class IntegrationTransport {
  /** The transport's name, as `STRATA_INTEGRATION_TRANSPORT` selects it. */
  abstract readonly name: string;
  abstract publish(message: IntegrationMessage): Promise<void>;
  abstract consume(options: ConsumeOptions): Promise<Consumption>;
  /** Messages waiting for `consumer` (its lag), or null when the broker cannot be asked. */
  abstract pending(consumer: string): Promise<number | null>;
  abstract close(): Promise<void>;
}

/** A transport that `StrataIntegrationModule` can select by name from the environment. */
export interface IntegrationTransportFactory {
  readonly name: string;
  create(env: Environment): IntegrationTransport | Promise<IntegrationTransport>;
}

/** Serialises a message as transports carry it: JSON, UTF-8. */
export function encodeMessage(message: IntegrationMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
