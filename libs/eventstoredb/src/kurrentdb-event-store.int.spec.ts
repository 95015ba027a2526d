import { randomUUID } from 'node:crypto';
import { KurrentDBClient, binaryEvent } from '@kurrent/kurrentdb-client';
import { describeEventStoreContract, describeSnapshotStoreContract } from '@strata/core/testing';
import { describeWithContainers } from '@strata/testing/containers';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { KurrentDbSnapshotStore } from './kurrentdb-snapshot-store';

const namespace = (): string => `t${randomUUID().replace(/-/g, '')}-`;

// One server per run; each test gets its own stream namespace, which is an empty log to it.
describeWithContainers('KurrentDB event store', ({ kurrentdb }) => {
  describeEventStoreContract('kurrentdb', async () => new KurrentDbEventStore(KurrentDBClient.connectionString(kurrentdb), { namespace: namespace() }));

  it("skips another application's events that are not JSON in headPosition and readAll", async () => {
    const client = KurrentDBClient.connectionString(kurrentdb);
    const shared = namespace();
    const events = new KurrentDbEventStore(client, { namespace: shared });
    try {
      await events.appendToStream('Account-1', [{ type: 'Opened', data: {} }]);
      await client.appendToStream(`${shared}legacy-1`, binaryEvent({ type: 'Blob', data: new Uint8Array([0xff, 0x00, 0x17]), metadata: new Uint8Array([0xc3, 0x28]) }));
      const head = await events.headPosition();
      expect((await events.readAll()).events.map((event) => event.type)).toEqual(['Opened']);
      expect(head).not.toBeNull();
    } finally {
      await events.close();
    }
  });
});

describeWithContainers('KurrentDB snapshot store', ({ kurrentdb }) => {
  describeSnapshotStoreContract('kurrentdb', async () =>
    new KurrentDbSnapshotStore(KurrentDBClient.connectionString(kurrentdb), { namespace: namespace(), ownsClient: true }),
  );

  it('keeps snapshots out of every read of the log', async () => {
    const client = KurrentDBClient.connectionString(kurrentdb);
    const shared = { namespace: namespace() };
    const events = new KurrentDbEventStore(client, shared);
    const snapshots = new KurrentDbSnapshotStore(client, shared);
    try {
      const appended = await events.appendToStream('Account-1', [{ type: 'Opened', data: {} }]);
      await snapshots.save({ streamId: 'Account-1', revision: 0n, eventId: randomUUID(), snapshotVersion: 1, state: { open: true } });
      expect((await snapshots.load('Account-1'))?.state).toEqual({ open: true });
      expect((await events.readAll()).events.map((event) => event.type)).toEqual(['Opened']);
      expect(await events.headPosition()).toBe(appended.position);
    } finally {
      await snapshots.close();
      await events.close();
    }
  });
});
