import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { POSTGRES_VARIABLE, type PostgresState } from './postgres-probe';

/** A database of its own for one test file, created before its tests and dropped after them. */
export interface TestDatabase {
  /** Its connection URL; valid once the suite's `beforeAll` ran. */
  url(): string;
  /** A new schema name each call, so a test can start from empty tables in the same database. */
  freshSchema(): string;
}

/** What the global setup decided for this run; a run that never reached it says so. */
export function postgresState(): PostgresState {
  const raw = process.env[POSTGRES_VARIABLE];
  if (raw === undefined) return { skipped: 'the jest global setup did not run, so no PostgreSQL server was looked for' };
  return JSON.parse(raw) as PostgresState;
}

/**
 * `describe` with a fresh database when the PostgreSQL server answered the global setup, else
 * `describe.skip` with the reason in its name: skipped out loud, never run against a stand-in.
 */
export function describeWithPostgres(name: string, body: (database: TestDatabase) => void): void {
  const state = postgresState();
  if (!('url' in state)) {
    describe.skip(`${name} [skipped: ${state.skipped}]`, () => body({ url: () => 'skipped', freshSchema: () => 'skipped' }));
    return;
  }
  const databaseName = `strata_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let schemas = 0;
  const database: TestDatabase = {
    url: () => withDatabase(state.url, databaseName),
    freshSchema: () => `s${schemas++}`,
  };
  describe(name, () => {
    beforeAll(async () => {
      await onServer(state.url, (client) => client.query(`CREATE DATABASE ${databaseName}`));
    });
    afterAll(async () => {
      await onServer(state.url, (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    });
    body(database);
  });
}

/** The same server URL, pointing at another database. */
export function withDatabase(url: string, databaseName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${databaseName}`;
  return parsed.toString();
}

async function onServer(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
