import { ConfigurationError, type Environment } from '@strata/core';
import { type StrataAdapter } from '@strata/core/adapter';
import { PostgresDocumentStore } from './documents/postgres-document-store';
import { DEFAULT_POOL_SIZE, DEFAULT_SCHEMA, PostgresDatabase, type PostgresOptions } from './postgres-database';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresSnapshotStore } from './postgres-snapshot-store';

export const DATABASE_URL_VARIABLE = 'DATABASE_URL';
export const SCHEMA_VARIABLE = 'STRATA_POSTGRES_SCHEMA';
export const POOL_SIZE_VARIABLE = 'STRATA_POSTGRES_POOL_SIZE';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads `DATABASE_URL` (a `postgres://` or `postgresql://` URL; without it the standard `PG*`
 * variables apply), `STRATA_POSTGRES_SCHEMA` (default `strata`) and `STRATA_POSTGRES_POOL_SIZE`
 * (default 10). Each mistake is one line naming the variable.
 */
export function postgresOptionsFromEnv(env: Environment): PostgresOptions {
  const url = env[DATABASE_URL_VARIABLE]?.trim();
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol) || parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new ConfigurationError(
        DATABASE_URL_VARIABLE,
        `'${redactUrl(url)}' is not a PostgreSQL URL. Use 'postgres://user:password@host:5432/database', or unset it to use the PG* variables.`,
      );
    }
  }
  const schema = env[SCHEMA_VARIABLE]?.trim() || DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigurationError(SCHEMA_VARIABLE, `'${schema}' is not a schema name Strata uses: use 1 to 63 lowercase letters, digits or '_', not starting with a digit.`);
  }
  const sizeText = env[POOL_SIZE_VARIABLE]?.trim() || String(DEFAULT_POOL_SIZE);
  const poolSize = Number(sizeText);
  if (!/^\d+$/.test(sizeText) || poolSize < 1 || poolSize > 1000) {
    throw new ConfigurationError(POOL_SIZE_VARIABLE, `'${sizeText}' is not a pool size: use a whole number from 1 to 1000.`);
  }
  return { ...(url ? { connectionString: url } : {}), schema, poolSize };
}

/**
 * The PostgreSQL backend, selected with `STRATA_EVENT_STORE=postgres` and/or
 * `STRATA_READ_STORE=postgres`: the event log, snapshots and read models in one schema, on one
 * pool per process. It mixes with other backends (a KurrentDB log with PostgreSQL read models).
 */
export function postgresAdapter(overrides: Partial<PostgresOptions> = {}): StrataAdapter {
  let shared: PostgresDatabase | null = null;
  // One pool for the stores this adapter opens in a process; each store releases its share.
  const database = (env: Environment): PostgresDatabase => {
    if (shared === null || shared.isClosed) {
      shared = PostgresDatabase.open({ ...postgresOptionsFromEnv(env), ...overrides });
      return shared;
    }
    return shared.share();
  };
  return {
    name: 'postgres',
    createEventStore: (env) => PostgresEventStore.onDatabase(database(env)),
    createDocumentStore: (env) => PostgresDocumentStore.onDatabase(database(env)),
    createSnapshotStore: (env) => PostgresSnapshotStore.onDatabase(database(env)),
  };
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
