import type { Event, RecordedEvent } from '../events/event';
import type { IntegrationData, IntegrationEventContract } from './integration-event';

/** What a mapper makes of one domain event: a contract, its data, and optionally an ordering key. */
export interface PublishedEvent<C extends IntegrationEventContract = IntegrationEventContract> {
  readonly contract: C;
  readonly data: IntegrationData<C>;
  /** Defaults to the domain event's stream, so one aggregate's events keep their order. */
  readonly key?: string;
}

/** Builds a `PublishedEvent` with its data checked against the contract at compile time. */
export function publish<C extends IntegrationEventContract>(contract: C, data: IntegrationData<C>, key?: string): PublishedEvent<C> {
  return key === undefined ? { contract, data } : { contract, data, key };
}

/**
 * Maps a service's domain events to its public integration events. `map` must be pure: the
 * publisher may call it again for the same event after a crash, and must get the same answer.
 */
export interface IntegrationMapper<E extends Event = Event> {
  map(event: RecordedEvent<E>): PublishedEvent | readonly PublishedEvent[] | null;
}
