import { describeSnapshotStoreContract } from '@strata/core/testing';
import { InMemoryEventStore } from '@strata/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteAdapter } from './sqlite-adapter';
import { openSqliteDatabase } from './sqlite-database';
import { SqliteEventStore } from './sqlite-event-store';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-snapshots-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeSnapshotStoreContract('sqlite (file)', () => Promise.resolve(SqliteSnapshotStore.open({ filename: join(dir, `contract-${n++}.db`) })));

describe('SqliteSnapshotStore', () => {
  const snapshot = { streamId: 'Account-1', revision: 99n, eventId: 'e-99', snapshotVersion: 1, state: { balance: 5 } };

  it('lives in the event store file, and a second connection sees what the first saved', async () => {
    const filename = join(dir, `shared-${n++}.db`);
    const events = SqliteEventStore.open({ filename });
    const writer = SqliteSnapshotStore.open({ filename });
    const reader = SqliteSnapshotStore.open({ filename });
    try {
      await events.appendToStream('Account-1', [{ type: 'Opened', data: {} }]);
      await writer.save(snapshot);
      expect(await reader.load('Account-1')).toEqual(snapshot);
      const db = openSqliteDatabase({ filename });
      const components = db.prepare('SELECT component FROM strata_schema ORDER BY component').pluck().all();
      db.close();
      expect(components).toEqual(['events', 'snapshots']);
    } finally {
      await Promise.all([events.close(), writer.close(), reader.close()]);
    }
  });

  it('reports a damaged snapshot as UNREADABLE_SNAPSHOT, naming the stream', async () => {
    const filename = join(dir, `damaged-${n++}.db`);
    const store = SqliteSnapshotStore.open({ filename });
    const db = openSqliteDatabase({ filename });
    try {
      await store.save(snapshot);
      db.prepare("UPDATE strata_snapshots SET state = '{not json' WHERE stream_id = ?").run('Account-1');
      await expect(store.load('Account-1')).rejects.toMatchObject({ code: 'UNREADABLE_SNAPSHOT', message: expect.stringContaining("'Account-1'") as string });
    } finally {
      db.close();
      await store.close();
    }
  });

  it('is what the sqlite adapter keeps snapshots in, in STRATA_DATA_DIR', async () => {
    const dataDir = join(dir, `adapter-${n++}`);
    const store = await sqliteAdapter().createSnapshotStore?.({ STRATA_DATA_DIR: dataDir }, new InMemoryEventStore());
    expect(store).toBeInstanceOf(SqliteSnapshotStore);
    await store?.save(snapshot);
    await store?.close();
    const again = SqliteSnapshotStore.open({ filename: join(dataDir, 'strata.db') });
    expect(await again.load('Account-1')).toEqual(snapshot);
    await again.close();
  });

  it('refuses to work once closed', async () => {
    const store = SqliteSnapshotStore.open({ filename: join(dir, `closed-${n++}.db`) });
    await store.close();
    await expect(store.load('Account-1')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
