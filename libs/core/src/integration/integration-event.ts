import type { Type } from '@nestjs/common';

/**
 * A public event a service publishes for other services: a stable name and version, and the
 * class-validator class its data must satisfy. It is a contract, separate from the domain
 * events it is mapped from, so those can change without breaking consumers.
 */
export interface IntegrationEventContract<Name extends string = string, Data extends object = object> {
  readonly name: Name;
  readonly version: number;
  /** A class with class-validator decorators; a consumer refuses data it does not satisfy. */
  readonly schema: Type<Data>;
}

/** Declares an integration event contract. Name: lower-case words and dots, e.g. `bank.account-opened`. */
export function integrationEvent<const Name extends string, Data extends object>(name: Name, version: number, schema: Type<Data>): IntegrationEventContract<Name, Data> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(name)) {
    throw new TypeError(`Integration event name '${name}' must be dot-separated lower-case words (e.g. 'bank.account-opened'): it becomes a subject and a routing key.`);
  }
  if (!Number.isInteger(version) || version < 1) throw new TypeError(`Integration event '${name}' needs a positive integer version, not ${String(version)}.`);
  return { name, version, schema };
}

/** The data of a contract. */
export type IntegrationData<C> = C extends IntegrationEventContract<string, infer Data> ? Data : never;

/** An integration event as it travels: envelope plus data. */
export interface IntegrationMessage<Data = unknown> {
  /** Derived from the domain event's id: the same event always publishes the same id. */
  readonly id: string;
  /** The contract's name. */
  readonly type: string;
  readonly version: number;
  /** The publishing service. */
  readonly source: string;
  /** The ordering key: messages with one key are delivered in the order they were published. */
  readonly key: string;
  /** When the domain event was recorded (ISO 8601). */
  readonly occurredAt: string;
  readonly data: Data;
  /** Correlation and W3C trace context (`traceparent`, `tracestate`), carried into the consumer's commands. */
  readonly headers: Readonly<Record<string, string>>;
}
