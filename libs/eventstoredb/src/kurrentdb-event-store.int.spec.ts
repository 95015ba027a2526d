import { randomUUID } from 'node:crypto';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { describeEventStoreContract } from '@strata/core/testing';
import { describeWithContainers } from '@strata/testing/containers';
import { KurrentDbEventStore } from './kurrentdb-event-store';

// One server per run; each test gets its own stream namespace, which is an empty log to it.
describeWithContainers('KurrentDB event store', ({ kurrentdb }) => {
  describeEventStoreContract('kurrentdb', async () =>
    new KurrentDbEventStore(KurrentDBClient.connectionString(kurrentdb), { namespace: `t${randomUUID().replace(/-/g, '')}-` }),
  );
});
