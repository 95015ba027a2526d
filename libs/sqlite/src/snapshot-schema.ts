/** Migrations of the snapshot table (component `snapshots`); append new steps, never edit old ones. */
export const SNAPSHOT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE strata_snapshots (
     stream_id        TEXT    PRIMARY KEY,
     revision         INTEGER NOT NULL,
     event_id         TEXT    NOT NULL,
     snapshot_version INTEGER NOT NULL,
     state            TEXT    NOT NULL,
     created_at       INTEGER NOT NULL
   );`,
];

export interface SnapshotRow {
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly snapshot_version: number;
  readonly state: string;
}
