import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '@strata/core';
import { postgresState } from '@strata/testing/postgres';
import { Client } from 'pg';

/** A backend the bank's e2e suites run on: its adapter name and the settings of a fresh, empty store. */
export interface TestBackend {
  readonly name: string;
  /** Settings for a store of its own; call `discard` after the suite. */
  open(): Environment;
  discard(): Promise<void>;
}

const memory = (): TestBackend => ({ name: 'memory', open: () => ({}), discard: async () => undefined });

const sqlite = (): TestBackend => {
  let dir: string | undefined;
  return {
    name: 'sqlite',
    open: () => ({ STRATA_DATA_DIR: (dir = mkdtempSync(join(tmpdir(), 'strata-bank-e2e-'))) }),
    discard: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** PostgreSQL from the global setup's probe, in a schema of its own (the stores create it), dropped afterwards. */
const postgres = (url: string): TestBackend => {
  const schema = `bank_e2e_${randomBytes(5).toString('hex')}`;
  return {
    name: 'postgres',
    open: () => ({ DATABASE_URL: url, STRATA_POSTGRES_SCHEMA: schema, STRATA_POSTGRES_POOL_SIZE: '4' }),
    discard: async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
};

/**
 * Runs `body` once per backend (in memory, a SQLite file, PostgreSQL), each under `title` with
 * `%s` replaced by its name. PostgreSQL is skipped out loud, with the reason in the title, when
 * no server answered the global setup.
 */
export function describeOnEveryBackend(title: string, body: (backend: TestBackend) => void): void {
  const state = postgresState();
  const backends = [memory(), sqlite(), ...('url' in state ? [postgres(state.url)] : [])];
  for (const backend of backends) describe(title.replace('%s', backend.name), () => body(backend));
  if ('skipped' in state) describe.skip(`${title.replace('%s', 'postgres')} [skipped: ${state.skipped}]`, () => body(memory()));
}
