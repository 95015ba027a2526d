import { ConfigurationError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import { UpcastingEventStore } from '../event-store/upcasting-event-store';
import { Upcasters } from '../events/upcasters';
import { inMemoryAdapter } from './in-memory-adapter';
import type { StrataModuleOptions } from './strata-options';

export const EVENT_STORE_VARIABLE = 'STRATA_EVENT_STORE';

/** Builds the event store that options and configuration select, validating both. */
export async function resolveEventStore(options: StrataModuleOptions): Promise<EventStore> {
  const store = options.eventStore instanceof EventStore ? options.eventStore : await createFromAdapter(options);
  const upcasters = new Upcasters(options.upcasters);
  return upcasters.isEmpty ? store : new UpcastingEventStore(store, upcasters);
}

async function createFromAdapter(options: StrataModuleOptions): Promise<EventStore> {
  const env = options.env ?? process.env;
  const adapters = [...(options.adapters ?? []), inMemoryAdapter];
  const requested = typeof options.eventStore === 'string' ? options.eventStore : env[EVENT_STORE_VARIABLE];
  const name = requested === undefined || requested === '' ? adapters[0]?.name : requested.trim();
  const adapter = adapters.find((candidate) => candidate.name === name);
  if (!adapter) {
    throw new ConfigurationError(
      EVENT_STORE_VARIABLE,
      `'${String(name)}' is not an event store this app knows. Set it to one of: ${adapters.map((a) => a.name).join(', ')}.`,
    );
  }
  return adapter.createEventStore(env);
}
