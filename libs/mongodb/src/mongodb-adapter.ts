import { ConfigurationError, type Environment } from '@strata/core';
import { type StrataAdapter } from '@strata/core/adapter';
import { MongoDocumentStore, type MongoDocumentStoreOptions } from './mongo-document-store';

export const MONGODB_URL_VARIABLE = 'MONGODB_URL';
export const MONGODB_DATABASE_VARIABLE = 'MONGODB_DATABASE';

const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;

/** Reads and checks `MONGODB_URL` (a `mongodb://` or `mongodb+srv://` string) and `MONGODB_DATABASE` (default `strata`). */
export function mongodbOptionsFromEnv(env: Environment): MongoDocumentStoreOptions {
  const url = env[MONGODB_URL_VARIABLE]?.trim();
  if (!url) {
    throw new ConfigurationError(
      MONGODB_URL_VARIABLE,
      "is not set, and STRATA_READ_STORE=mongodb needs it. Set it to a replica set's connection string, e.g. 'mongodb://localhost:27017/?replicaSet=rs0'.",
    );
  }
  if (!/^mongodb(\+srv)?:\/\/[^/?]+/.test(url)) {
    throw new ConfigurationError(
      MONGODB_URL_VARIABLE,
      `'${url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@')}' is not a MongoDB connection string. Use 'mongodb://host:27017/?replicaSet=rs0' or 'mongodb+srv://…'.`,
    );
  }
  const database = env[MONGODB_DATABASE_VARIABLE]?.trim() || 'strata';
  if (!DATABASE_NAME.test(database)) {
    throw new ConfigurationError(MONGODB_DATABASE_VARIABLE, `'${database}' is not a database name: use 1 to 63 letters, digits, '_' or '-'.`);
  }
  return { url, database };
}

/**
 * The MongoDB read store, selected with `STRATA_READ_STORE=mongodb`: read models, checkpoints,
 * leases, parked events and saga state. It keeps no event log (no `createEventStore`), so
 * `STRATA_EVENT_STORE` names another backend, and naming it there is refused.
 */
export function mongodbAdapter(overrides: Partial<MongoDocumentStoreOptions> = {}): StrataAdapter {
  return {
    name: 'mongodb',
    createDocumentStore: (env) => MongoDocumentStore.connect({ ...mongodbOptionsFromEnv(env), ...overrides }),
  };
}
