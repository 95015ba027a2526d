import { ConfigurationError } from '../errors/strata-error';
import { DocumentStore } from '../documents/document-store';
import { EventStore } from '../event-store/event-store';
import { UpcastingEventStore } from '../event-store/upcasting-event-store';
import { Upcasters } from '../events/upcasters';
import { inMemoryAdapter } from './in-memory-adapter';
import type { Environment, StrataAdapter } from './strata-adapter';
import type { StrataModuleOptions } from './strata-options';

export const EVENT_STORE_VARIABLE = 'STRATA_EVENT_STORE';
export const READ_STORE_VARIABLE = 'STRATA_READ_STORE';

/** An event store as configuration selected it, with the adapter that made it. */
export interface OpenedEventStore {
  /** The store to use: the adapter's, wrapped when upcasters are registered. */
  readonly store: EventStore;
  /** The adapter that made it, and the store as it made it; undefined when the store was handed in. */
  readonly adapter?: { readonly adapter: StrataAdapter; readonly store: EventStore; readonly env: Environment };
}

/** Builds the event store that options and configuration select, validating both. */
export async function resolveEventStore(options: StrataModuleOptions): Promise<EventStore> {
  return (await openEventStore(options)).store;
}

/** Like `resolveEventStore`, and says which adapter made the store, for the stores that go with it. */
export async function openEventStore(options: StrataModuleOptions): Promise<OpenedEventStore> {
  const made = options.eventStore instanceof EventStore ? undefined : await createFromAdapter(options);
  const store = made?.store ?? (options.eventStore as EventStore);
  const upcasters = new Upcasters(options.upcasters);
  return { store: upcasters.isEmpty ? store : new UpcastingEventStore(store, upcasters), ...(made && { adapter: made }) };
}

/**
 * Builds the document store that options and configuration select: `readStore`, else
 * `STRATA_READ_STORE`, else the event store's own adapter (in memory when the event store
 * was passed in ready-made).
 */
export async function resolveDocumentStore(options: StrataModuleOptions): Promise<DocumentStore> {
  if (options.readStore instanceof DocumentStore) return options.readStore;
  const env = options.env ?? process.env;
  const adapters = [...(options.adapters ?? []), inMemoryAdapter].filter((adapter) => adapter.createDocumentStore !== undefined);
  const requested = typeof options.readStore === 'string' ? options.readStore : env[READ_STORE_VARIABLE]?.trim() || undefined;
  const name = requested ?? (options.eventStore instanceof EventStore ? inMemoryAdapter.name : eventStoreName(options, env));
  const adapter = adapters.find((candidate) => candidate.name === name);
  if (!adapter?.createDocumentStore) {
    const choices = adapters.map((a) => a.name).join(', ');
    throw new ConfigurationError(
      READ_STORE_VARIABLE,
      requested === undefined
        ? `the event store '${String(name)}' keeps no read models, so choose where they live: one of ${choices}.`
        : `'${name}' is not a read-model store this app knows. Set it to one of: ${choices}.`,
    );
  }
  return adapter.createDocumentStore(env);
}

function eventStoreName(options: StrataModuleOptions, env: Environment): string | undefined {
  const requested = typeof options.eventStore === 'string' ? options.eventStore : env[EVENT_STORE_VARIABLE];
  return requested === undefined || requested.trim() === '' ? options.adapters?.[0]?.name ?? inMemoryAdapter.name : requested.trim();
}

async function createFromAdapter(options: StrataModuleOptions): Promise<NonNullable<OpenedEventStore['adapter']>> {
  const env = options.env ?? process.env;
  const adapters = [...(options.adapters ?? []), inMemoryAdapter];
  const name = eventStoreName(options, env);
  const adapter = adapters.find((candidate) => candidate.name === name);
  // Only backends that keep an event log are offered: a read-model store named here is a mistake too.
  const choices = adapters.filter((candidate) => candidate.createEventStore !== undefined).map((a) => a.name).join(', ');
  if (!adapter) {
    throw new ConfigurationError(EVENT_STORE_VARIABLE, `'${String(name)}' is not an event store this app knows. Set it to one of: ${choices}.`);
  }
  if (!adapter.createEventStore) {
    throw new ConfigurationError(
      EVENT_STORE_VARIABLE,
      `'${adapter.name}' keeps read models, not the event log. Set it to one of: ${choices}, and STRATA_READ_STORE=${adapter.name} to keep the read models there.`,
    );
  }
  return { adapter, store: await adapter.createEventStore(env), env };
}
