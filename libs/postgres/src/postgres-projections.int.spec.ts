import { describeParkedOrderContract, describeProjectionOperationsContract, describeProjectionReplayContract, describeProjectionRunnerContract, describeProjectionVersionsContract, type ProjectionStores } from '@strata/core/testing';
import { describeWithPostgres } from '@strata/testing/postgres';
import { PostgresDocumentStore } from './documents/postgres-document-store';
import { PostgresEventStore } from './postgres-event-store';

describeWithPostgres('PostgreSQL projections', (database) => {
  // Events and documents in one schema, each store on its own pool, as the adapter opens them;
  // `connectAgain` opens two more pools, as a second instance would.
  const postgres = async () => {
    const options = { connectionString: database.url(), schema: database.freshSchema(), poolSize: 3 };
    const connect = async (): Promise<ProjectionStores> => ({ events: await PostgresEventStore.open(options), documents: await PostgresDocumentStore.open(options) });
    const opened: ProjectionStores[] = [await connect()];
    return {
      ...(opened[0] as ProjectionStores),
      connectAgain: async () => {
        const again = await connect();
        opened.push(again);
        return again;
      },
      close: async () => {
        for (const stores of opened) await Promise.all([stores.events.close(), stores.documents.close()]);
      },
    };
  };

  describeProjectionRunnerContract('postgres (one schema, separate pools)', postgres);
  describeProjectionReplayContract('postgres (one schema, separate pools)', postgres);
  describeProjectionOperationsContract('postgres (one schema, separate pools)', postgres);
  describeParkedOrderContract('postgres (one schema, separate pools)', postgres);
  describeProjectionVersionsContract('postgres (one schema, separate pools)', postgres);
});
