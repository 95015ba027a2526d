import { StrataError } from '@strata/core';
import { Pool, escapeIdentifier, type PoolClient, type PoolConfig } from 'pg';

/** How a store reaches PostgreSQL. */
export interface PostgresOptions {
  /** A `postgres://` URL; without it the standard `PG*` variables (and their defaults) apply. */
  readonly connectionString?: string;
  /** The schema holding Strata's tables, created when missing. Defaults to `strata`. */
  readonly schema?: string;
  /** Connections in the pool, at most. Defaults to 10. */
  readonly poolSize?: number;
}

export const DEFAULT_SCHEMA = 'strata';
export const DEFAULT_POOL_SIZE = 10;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A pool with the schema its stores use; shared by the stores of one adapter, closed by the last. */
export class PostgresDatabase {
  /** The schema, quoted for SQL. */
  readonly schema: string;
  private users = 1;
  private closed = false;

  private constructor(
    readonly pool: Pool,
    readonly schemaName: string,
  ) {
    this.schema = escapeIdentifier(schemaName);
    // An idle connection that the server drops must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
  }

  /** Opens a pool; nothing connects until the first query. `tuning` overrides the pool's defaults (timeouts). */
  static open(options: PostgresOptions = {}, tuning: Omit<PoolConfig, 'connectionString' | 'max'> = {}): PostgresDatabase {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    if (!SCHEMA_NAME.test(schema)) {
      throw new StrataError('INVALID_SCHEMA', `'${schema}' is not a schema name Strata uses: use 1 to 63 lowercase letters, digits or '_', not starting with a digit.`);
    }
    const config: PoolConfig = {
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: 10_000,
      ...tuning,
      ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
    };
    return new PostgresDatabase(new Pool(config), schema);
  }

  /** Another store uses this pool too; each user calls `release` once. */
  share(): this {
    this.users += 1;
    return this;
  }

  /** Whether every user released the pool (it cannot be shared any more). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends the pool once every user released it. */
  async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0 || this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<R>(work: (client: PoolClient) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: unknown) => rollbackError,
      );
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: the pool must not hand it out again.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

/** One migration step: SQL given the quoted schema name. */
export type MigrationStep = (schema: string) => string;

/**
 * Applies each component's migrations once, in order, under an advisory lock so instances
 * starting together never apply a step twice; refuses a schema a newer Strata wrote.
 */
export async function migrate(db: PostgresDatabase, component: string, steps: readonly MigrationStep[]): Promise<void> {
  await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`strata-migrate:${db.schemaName}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${db.schema}.strata_schema (component text PRIMARY KEY, version integer NOT NULL)`);
    const found = await client.query<{ version: number }>(`SELECT version FROM ${db.schema}.strata_schema WHERE component = $1`, [component]);
    const from = found.rows[0]?.version ?? 0;
    if (from > steps.length) {
      throw new StrataError(
        'SCHEMA_TOO_NEW',
        `The schema '${db.schemaName}' has '${component}' at version ${from}, newer than the ${steps.length} this version of Strata knows. ` +
          'A newer Strata wrote it: run that version, or point this one at another schema (STRATA_POSTGRES_SCHEMA).',
      );
    }
    for (const step of steps.slice(from)) await client.query(step(db.schema));
    if (from < steps.length) {
      await client.query(
        `INSERT INTO ${db.schema}.strata_schema (component, version) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
        [component, steps.length],
      );
    }
  });
}
