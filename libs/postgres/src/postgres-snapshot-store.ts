import { StrataError } from '@strata/core';
import { SnapshotStore, type Snapshot } from '@strata/core/adapter';
import { migrate, PostgresDatabase, type PostgresOptions } from './postgres-database';
import { unavailableError } from './postgres-errors';
import type { MigrationStep } from './postgres-database';

/** Migrations of the snapshot table (component `snapshots`); append new steps, never edit old ones. */
const SNAPSHOT_MIGRATIONS: readonly MigrationStep[] = [
  (s) => `CREATE TABLE ${s}.strata_snapshots (
     stream_id        text        PRIMARY KEY,
     revision         bigint      NOT NULL,
     event_id         text        NOT NULL,
     snapshot_version integer     NOT NULL,
     state            jsonb       NOT NULL,
     created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
   )`,
];

interface SnapshotRow {
  readonly stream_id: string;
  readonly revision: string;
  readonly event_id: string;
  readonly snapshot_version: number;
  readonly state: unknown;
}

/**
 * Snapshots next to the event log (`strata_snapshots`, one row per stream). A save is one
 * upsert that keeps the stored row when it is of the same snapshot version and a later
 * revision, so parallel writers and instances never move a snapshot back in time.
 */
export class PostgresSnapshotStore extends SnapshotStore {
  private closed = false;

  private constructor(private readonly db: PostgresDatabase) {
    super();
  }

  /** Connects, creates or migrates the table, and returns the store. */
  static async open(options: PostgresOptions = {}): Promise<PostgresSnapshotStore> {
    return PostgresSnapshotStore.onDatabase(PostgresDatabase.open(options));
  }

  /** Uses a pool another component opened; the store releases its share on close. */
  static async onDatabase(db: PostgresDatabase): Promise<PostgresSnapshotStore> {
    try {
      await migrate(db, 'snapshots', SNAPSHOT_MIGRATIONS);
    } catch (error) {
      await db.release();
      throw unavailableError(error, 'EVENT_STORE_UNAVAILABLE', 'prepare the snapshot table');
    }
    return new PostgresSnapshotStore(db);
  }

  override async load(streamId: string): Promise<Snapshot | undefined> {
    this.assertOpen();
    const { rows } = await this.guard(() =>
      this.db.pool.query<SnapshotRow>(
        `SELECT stream_id, revision, event_id, snapshot_version, state FROM ${this.db.schema}.strata_snapshots WHERE stream_id = $1`,
        [streamId],
      ),
    );
    const row = rows[0];
    return row && { streamId: row.stream_id, revision: BigInt(row.revision), eventId: row.event_id, snapshotVersion: row.snapshot_version, state: row.state };
  }

  override async save(snapshot: Snapshot): Promise<void> {
    this.assertOpen();
    await this.guard(() =>
      this.db.pool.query(
        `INSERT INTO ${this.db.schema}.strata_snapshots AS s (stream_id, revision, event_id, snapshot_version, state)
         VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (stream_id) DO UPDATE SET
           revision = excluded.revision, event_id = excluded.event_id, snapshot_version = excluded.snapshot_version,
           state = excluded.state, created_at = clock_timestamp()
         WHERE excluded.snapshot_version <> s.snapshot_version OR excluded.revision >= s.revision`,
        [snapshot.streamId, snapshot.revision.toString(), snapshot.eventId, snapshot.snapshotVersion, JSON.stringify(snapshot.state)],
      ),
    );
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.release();
  }

  private async guard<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      throw unavailableError(error, 'EVENT_STORE_UNAVAILABLE', 'reach the snapshot table');
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StrataError('STORE_CLOSED', 'The PostgreSQL snapshot store is closed; the app is shutting down.');
  }
}
