/** Migrations of the event log; append new steps, never edit old ones. */
export const EVENT_STORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE strata_events (
     position   INTEGER PRIMARY KEY,
     stream_id  TEXT    NOT NULL,
     revision   INTEGER NOT NULL,
     event_id   TEXT    NOT NULL,
     type       TEXT    NOT NULL,
     data       TEXT    NOT NULL,
     metadata   TEXT    NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX strata_events_stream_revision ON strata_events (stream_id, revision);
   CREATE UNIQUE INDEX strata_events_event_id ON strata_events (event_id);`,
  // The CRC-32 of each event (core's eventChecksum). Rows written before it hold NULL: they are
  // read as legacy, unverified, rather than back-filled, which would bless whatever they hold now.
  `ALTER TABLE strata_events ADD COLUMN checksum INTEGER;`,
];

export interface EventRow {
  readonly position: number;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly created_at: number;
  /** Null on rows written before checksums. */
  readonly checksum: number | null;
}
