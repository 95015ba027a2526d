import { describeEventStoreContract, describeSnapshotStoreContract } from '@strata/core/testing';
import { describeWithPostgres } from '@strata/testing/postgres';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresSnapshotStore } from './postgres-snapshot-store';

describeWithPostgres('PostgreSQL event store', (database) => {
  // A schema per test: the contract needs an empty log each time.
  describeEventStoreContract('postgres', () => PostgresEventStore.open({ connectionString: database.url(), schema: database.freshSchema(), poolSize: 4 }));
  describeSnapshotStoreContract('postgres', () => PostgresSnapshotStore.open({ connectionString: database.url(), schema: database.freshSchema(), poolSize: 4 }));
});
