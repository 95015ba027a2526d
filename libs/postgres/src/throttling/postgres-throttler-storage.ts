import type { Environment } from '@strata/core';
import type { SharedThrottlerStorage, ThrottleStore } from '@strata/core/adapter';
import { migrate, PostgresDatabase, type MigrationStep, type PostgresOptions } from '../postgres-database';
import { unavailableError } from '../postgres-errors';
import { postgresOptionsFromEnv } from '../postgres-adapter';

/** A request waits at most this long for the shared count before the instance counts on its own. */
const QUERY_TIMEOUT_MS = 1_000;
/** How often windows that ended are deleted. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Migrations of the throttle table (component `throttle`); append new steps, never edit old ones.
 * UNLOGGED: counts are worth no write-ahead log, and a server crash that empties them only
 * restarts every client's window. Times are the server's clock, so instances' clocks never disagree.
 */
const THROTTLE_MIGRATIONS: readonly MigrationStep[] = [
  (s) => `
    CREATE UNLOGGED TABLE ${s}.strata_throttle (
      key           text    PRIMARY KEY,
      hits          integer NOT NULL,
      window_ends   bigint  NOT NULL,
      blocked_until bigint  NOT NULL
    );
    CREATE FUNCTION ${s}.strata_throttle_hit(p_key text, p_ttl bigint, p_limit integer, p_block bigint,
                                             OUT o_hits integer, OUT o_window_ends bigint, OUT o_blocked_until bigint, OUT o_now bigint)
    LANGUAGE plpgsql AS $fn$
    BEGIN
      o_now := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
      INSERT INTO ${s}.strata_throttle (key, hits, window_ends, blocked_until) VALUES (p_key, 0, o_now + p_ttl, 0) ON CONFLICT (key) DO NOTHING;
      SELECT t.hits, t.window_ends, t.blocked_until INTO o_hits, o_window_ends, o_blocked_until FROM ${s}.strata_throttle t WHERE t.key = p_key FOR UPDATE;
      -- A blocked client's requests are refused, not counted.
      IF o_blocked_until > o_now THEN RETURN; END IF;
      -- The window ended, or the block did: a new window starts with this request.
      IF o_window_ends <= o_now OR o_blocked_until > 0 THEN
        o_hits := 0; o_window_ends := o_now + p_ttl; o_blocked_until := 0;
      END IF;
      o_hits := o_hits + 1;
      IF o_hits > p_limit THEN o_blocked_until := o_now + p_block; END IF;
      UPDATE ${s}.strata_throttle t SET hits = o_hits, window_ends = o_window_ends, blocked_until = o_blocked_until WHERE t.key = p_key;
    END
    $fn$;`,
];

interface HitRow {
  readonly o_hits: number;
  readonly o_window_ends: string;
  readonly o_blocked_until: string;
  readonly o_now: string;
}

/**
 * `@nestjs/throttler` counts in PostgreSQL: one call of `strata_throttle_hit` per request, which
 * counts and decides under the row's lock, so instances counting the same client at once never
 * lose a hit. A fixed window per client: `limit` requests per `ttl`, then blocked for `blockDuration`.
 */
export class PostgresThrottlerStorage implements SharedThrottlerStorage {
  private readonly sweep: NodeJS.Timeout;

  private constructor(private readonly db: PostgresDatabase) {
    this.sweep = setInterval(() => void this.deleteEnded(), SWEEP_INTERVAL_MS).unref();
  }

  /** Connects, creates or migrates the table, and returns the storage. */
  static async open(options: PostgresOptions = {}): Promise<PostgresThrottlerStorage> {
    const db = PostgresDatabase.open({ ...options, poolSize: Math.min(options.poolSize ?? 4, 4) }, { connectionTimeoutMillis: QUERY_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS });
    try {
      await migrate(db, 'throttle', THROTTLE_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw unavailableError(error, 'READ_STORE_UNAVAILABLE', 'prepare the throttle table');
    }
    return new PostgresThrottlerStorage(db);
  }

  /** Counts one request of `key`'s client; one budget per key, whichever throttler asks (the key names it). */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName?: string): Promise<Awaited<ReturnType<SharedThrottlerStorage['increment']>>> {
    const { rows } = await this.db.pool.query<HitRow>(`SELECT * FROM ${this.db.schema}.strata_throttle_hit($1, $2, $3, $4)`, [key, ttl, limit, blockDuration]);
    const row = rows[0] as HitRow;
    const now = Number(row.o_now);
    const blockedUntil = Number(row.o_blocked_until);
    const isBlocked = blockedUntil > now;
    return {
      totalHits: row.o_hits,
      timeToExpire: Math.max(0, Math.ceil((Number(row.o_window_ends) - now) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((blockedUntil - now) / 1000) : 0,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    await this.db.release();
  }

  private async deleteEnded(): Promise<void> {
    const now = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
    await this.db.pool.query(`DELETE FROM ${this.db.schema}.strata_throttle WHERE window_ends < ${now} AND blocked_until < ${now}`).catch(() => undefined);
  }
}

/**
 * The PostgreSQL throttle store, selected with `STRATA_THROTTLE_STORE=postgres`: request counts
 * in `strata_throttle`, on the database `DATABASE_URL` names, in `STRATA_POSTGRES_SCHEMA`.
 */
export function postgresThrottleStore(): ThrottleStore {
  return { name: 'postgres', create: (env: Environment) => PostgresThrottlerStorage.open(postgresOptionsFromEnv(env)) };
}
