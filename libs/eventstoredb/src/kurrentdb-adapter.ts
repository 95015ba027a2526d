import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ConfigurationError, type Environment, type EventStore } from '@strata/core';
import { type EventLogAdapter } from '@strata/core/adapter';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
import { KurrentDbSnapshotStore } from './kurrentdb-snapshot-store';

export const KURRENTDB_URL_VARIABLE = 'KURRENTDB_URL';

// The schemes the client's connection-string parser accepts.
const SCHEMES = ['kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover', 'esdb', 'esdb+discover'];

/** Reads and checks `KURRENTDB_URL`, a KurrentDB connection string such as `kurrentdb://localhost:2113?tls=false`. */
export function kurrentdbUrlFromEnv(env: Environment): string {
  const url = env[KURRENTDB_URL_VARIABLE]?.trim();
  if (!url) {
    throw new ConfigurationError(
      KURRENTDB_URL_VARIABLE,
      "is not set, and STRATA_EVENT_STORE=kurrentdb needs it. Set it to a connection string, e.g. 'kurrentdb://localhost:2113?tls=false'.",
    );
  }
  const scheme = /^([a-z+]+):\/\//.exec(url)?.[1];
  if (scheme === undefined || !SCHEMES.includes(scheme)) {
    throw new ConfigurationError(
      KURRENTDB_URL_VARIABLE,
      `'${redact(url)}' is not a KurrentDB connection string. Start it with one of ${SCHEMES.map((s) => `${s}://`).join(', ')}, e.g. 'kurrentdb://localhost:2113?tls=false'.`,
    );
  }
  return url;
}

/** Connects a client to the server `KURRENTDB_URL` names; a malformed string is a configuration error. */
export function connectKurrentDb(env: Environment): KurrentDBClient {
  const url = kurrentdbUrlFromEnv(env);
  try {
    return KurrentDBClient.connectionString(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(KURRENTDB_URL_VARIABLE, `'${redact(url)}' could not be parsed: ${reason}`);
  }
}

/**
 * The KurrentDB / EventStoreDB backend, selected with `STRATA_EVENT_STORE=kurrentdb`; its
 * server is `KURRENTDB_URL`. It keeps no read models: pair it with `STRATA_READ_STORE`
 * (`mongodb`, `sqlite` or `memory`).
 */
export function kurrentdbAdapter(options: KurrentDbEventStoreOptions = {}): EventLogAdapter {
  // Snapshots share the event store's client (one connection); the event store disposes it.
  const clients = new WeakMap<EventStore, KurrentDBClient>();
  const namespace = options.namespace === undefined ? {} : { namespace: options.namespace };
  return {
    name: 'kurrentdb',
    createEventStore: (env) => {
      const client = connectKurrentDb(env);
      const store = new KurrentDbEventStore(client, options);
      clients.set(store, client);
      return store;
    },
    createSnapshotStore: (env, eventStore) => {
      const shared = clients.get(eventStore);
      return shared ? new KurrentDbSnapshotStore(shared, namespace) : new KurrentDbSnapshotStore(connectKurrentDb(env), { ...namespace, ownsClient: true });
    },
  };
}

/** Hides the password of `user:password@` in messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
