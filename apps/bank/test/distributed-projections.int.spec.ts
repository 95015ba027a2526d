import { randomUUID } from 'node:crypto';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { describeParkedOrderContract, describeProjectionOperationsContract, describeProjectionReplayContract, describeProjectionRunnerContract, describeProjectionVersionsContract, type ProjectionStores } from '@strata/core/testing';
import { KurrentDbEventStore } from '@strata/eventstoredb';
import { MongoDocumentStore } from '@strata/mongodb';
import { describeWithContainers, type DistributedStoreUrls } from '@strata/testing/containers';

// The production pairing: events in KurrentDB (a namespace per test), read models in MongoDB (a database per test).
const distributed = (urls: DistributedStoreUrls) => async () => {
  const namespace = `t${randomUUID().replace(/-/g, '')}-`;
  const database = `p${randomUUID().slice(0, 8)}`;
  const connect = async (): Promise<ProjectionStores> => ({
    events: new KurrentDbEventStore(KurrentDBClient.connectionString(urls.kurrentdb), { namespace }),
    documents: await MongoDocumentStore.connect({ url: urls.mongodb, database }),
  });
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

describeWithContainers('projections on KurrentDB and MongoDB', (urls) => {
  describeProjectionRunnerContract('kurrentdb + mongodb', distributed(urls));
  describeProjectionReplayContract('kurrentdb + mongodb', distributed(urls));
  describeProjectionOperationsContract('kurrentdb + mongodb', distributed(urls));
  describeParkedOrderContract('kurrentdb + mongodb', distributed(urls));
  describeProjectionVersionsContract('kurrentdb + mongodb', distributed(urls));
});
