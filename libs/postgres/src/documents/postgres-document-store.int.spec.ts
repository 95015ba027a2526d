import { describeDocumentStoreContract } from '@strata/core/testing';
import { describeWithPostgres } from '@strata/testing/postgres';
import { PostgresDocumentStore } from './postgres-document-store';

describeWithPostgres('PostgreSQL document store', (database) => {
  describeDocumentStoreContract('postgres', () => PostgresDocumentStore.open({ connectionString: database.url(), schema: database.freshSchema(), poolSize: 4 }));
});
