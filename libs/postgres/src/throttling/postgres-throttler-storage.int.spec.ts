import { setTimeout as sleep } from 'node:timers/promises';
import { FallbackThrottlerStorage } from '@strata/core/adapter';
import { describeWithPostgres, withDatabase } from '@strata/testing/postgres';
import { Client } from 'pg';
import { PostgresThrottlerStorage } from './postgres-throttler-storage';

describeWithPostgres('PostgresThrottlerStorage', (database) => {
  const opened: PostgresThrottlerStorage[] = [];
  const open = async (schema: string): Promise<PostgresThrottlerStorage> => {
    const storage = await PostgresThrottlerStorage.open({ connectionString: database.url(), schema });
    opened.push(storage);
    return storage;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((storage) => storage.close()));
  });

  it('counts one client across instances without losing a hit, then blocks it', async () => {
    const schema = database.freshSchema();
    // Two storages on two pools: two instances of the app.
    const [a, b] = [await open(schema), await open(schema)];
    const records = await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 === 0 ? a : b).increment('default:10.0.0.1', 60_000, 30, 60_000, 'default')));
    const hits = records.map((record) => record.totalHits).sort((x, y) => x - y);
    // Every request got its own count: 1..30 admitted, the rest blocked without being counted.
    expect(hits.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, n) => n + 1));
    expect(records.filter((record) => !record.isBlocked)).toHaveLength(30);
    const blocked = records.filter((record) => record.isBlocked);
    expect(blocked).toHaveLength(10);
    for (const record of blocked) expect(record.timeToBlockExpire).toBeGreaterThan(0);
    // Another client has its own budget.
    expect(await b.increment('default:10.0.0.2', 60_000, 30, 60_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window when the old one ends, and lifts a block when it ends', async () => {
    const storage = await open(database.freshSchema());
    expect(await storage.increment('k', 300, 1, 300, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await storage.increment('k', 300, 1, 300, 'default')).toMatchObject({ isBlocked: true });
    await sleep(400);
    expect(await storage.increment('k', 300, 1, 300, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts in the instance while the database refuses connections, and in the database again once it accepts them', async () => {
    const storage = await open(database.freshSchema());
    const fallback = new FallbackThrottlerStorage(storage, 'postgres', () => now);
    let now = 0;
    expect(await fallback.increment('k', 60_000, 5, 60_000, 'default')).toMatchObject({ totalHits: 1 });
    // From another database: a session cannot shut its own database's door.
    const admin = new Client({ connectionString: withDatabase(database.url(), 'postgres') });
    await admin.connect();
    const name = new URL(database.url()).pathname.slice(1);
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      // The shared count is out of reach: this instance counts on its own, from zero.
      const local = [];
      for (let n = 0; n < 6; n++) local.push(await fallback.increment('k', 60_000, 5, 60_000, 'default'));
      expect(local.map((record) => record.isBlocked)).toEqual([false, false, false, false, false, true]);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // Once the retry interval passed, the shared count is used again: the hit before the outage is still there.
    now += 10_000;
    expect(await fallback.increment('k', 60_000, 5, 60_000, 'default')).toMatchObject({ totalHits: 2, isBlocked: false });
  });
});
