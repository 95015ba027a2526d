import { StrataError } from '@strata/core';
import { SnapshotStore, type Snapshot } from '@strata/core/adapter';
import type { Statement } from 'better-sqlite3';
import { SNAPSHOT_MIGRATIONS, type SnapshotRow } from './snapshot-schema';
import { ConnectionHold, migrate, openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database';

/**
 * Snapshots in the event store's SQLite file (`strata_snapshots`, one row per stream). A save
 * is one upsert that keeps the stored row when it is of the same snapshot version and a later
 * revision, so parallel writers and processes never move a snapshot back in time.
 */
export class SqliteSnapshotStore extends SnapshotStore {
  private readonly statements: { readonly load: Statement; readonly save: Statement };
  private readonly hold: ConnectionHold;

  private constructor(
    private readonly db: SqliteDatabase,
    ownsDatabase: boolean,
  ) {
    super();
    this.hold = new ConnectionHold(db, ownsDatabase, 'SQLite snapshot store');
    migrate(db, 'snapshots', SNAPSHOT_MIGRATIONS);
    this.statements = {
      load: db.prepare('SELECT stream_id, revision, event_id, snapshot_version, state FROM strata_snapshots WHERE stream_id = ?'),
      save: db.prepare(
        `INSERT INTO strata_snapshots (stream_id, revision, event_id, snapshot_version, state, created_at)
         VALUES (@streamId, @revision, @eventId, @snapshotVersion, @state, @createdAt)
         ON CONFLICT (stream_id) DO UPDATE SET
           revision = excluded.revision, event_id = excluded.event_id, snapshot_version = excluded.snapshot_version,
           state = excluded.state, created_at = excluded.created_at
         WHERE excluded.snapshot_version <> strata_snapshots.snapshot_version OR excluded.revision >= strata_snapshots.revision`,
      ),
    };
  }

  /** Opens (creating if needed) the snapshot table in a SQLite file, on a connection of its own. */
  static open(options: SqliteDatabaseOptions): SqliteSnapshotStore {
    return new SqliteSnapshotStore(openSqliteDatabase(options), true);
  }

  /** Uses a database another component opened; closing the store leaves it open. */
  static onDatabase(db: SqliteDatabase): SqliteSnapshotStore {
    return new SqliteSnapshotStore(db, false);
  }

  override async load(streamId: string): Promise<Snapshot | undefined> {
    this.hold.assertOpen();
    const row = this.statements.load.get(streamId) as SnapshotRow | undefined;
    return Promise.resolve(row && toSnapshot(row));
  }

  override async save(snapshot: Snapshot): Promise<void> {
    this.hold.assertOpen();
    this.statements.save.run({
      streamId: snapshot.streamId,
      revision: snapshot.revision,
      eventId: snapshot.eventId,
      snapshotVersion: snapshot.snapshotVersion,
      state: JSON.stringify(snapshot.state),
      createdAt: Date.now(),
    });
    return Promise.resolve();
  }

  override async close(): Promise<void> {
    this.hold.close();
    await Promise.resolve();
  }
}

function toSnapshot(row: SnapshotRow): Snapshot {
  let state: unknown;
  try {
    state = JSON.parse(row.state);
  } catch (error) {
    throw new StrataError('UNREADABLE_SNAPSHOT', `The snapshot of '${row.stream_id}' is not valid JSON; it is ignored until the next one replaces it.`, { cause: error });
  }
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    eventId: row.event_id,
    snapshotVersion: row.snapshot_version,
    state,
  };
}
