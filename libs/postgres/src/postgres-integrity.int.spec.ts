import { verifyLog, type RecordedEvent } from '@strata/core';
import { damageOf, isUnchecked } from '@strata/core/adapter';
import { describeWithPostgres } from '@strata/testing/postgres';
import fc from 'fast-check';
import { Client } from 'pg';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema';
import { migrate, PostgresDatabase } from './postgres-database';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(120_000);

describeWithPostgres('PostgreSQL event store integrity', (database) => {
  const sql = async (text: string, values: unknown[] = []): Promise<void> => {
    const client = new Client({ connectionString: database.url() });
    await client.connect();
    try {
      await client.query(text, values);
    } finally {
      await client.end();
    }
  };
  const open = (schema: string): Promise<PostgresEventStore> => PostgresEventStore.open({ connectionString: database.url(), schema, poolSize: 2, listen: false });
  const readAllOf = async (store: PostgresEventStore, stream: string): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    return events;
  };

  it('refuses an event whose data was changed with SQL, marks it for readAll with includeDamaged, and verify names its position', async () => {
    const schema = database.freshSchema();
    const store = await open(schema);
    try {
      for (let i = 0; i < 9; i++) await store.appendToStream(`Account-${i % 3}`, [{ type: 'MoneyDeposited', data: { amount: 100 + i, note: { by: 'ada', at: i } } }]);
      expect(await verifyLog(store)).toMatchObject({ events: 9, streams: 3, unchecked: 0, problems: [] });
      // Position 5 is revision 1 of Account-1; 104 becomes 904, still a valid document.
      await sql(`UPDATE ${schema}.strata_events SET data = jsonb_set(data, '{amount}', '904') WHERE position = 5`);
      await expect(readAllOf(store, 'Account-1')).rejects.toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', position: '0000000000000005', streamId: 'Account-1', revision: 1n });
      await expect(readAllOf(store, 'Account-0')).resolves.toHaveLength(3);
      await expect(store.readAll()).rejects.toMatchObject({ code: 'EVENT_INTEGRITY_FAILED' });
      const page = await store.readAll({ includeDamaged: true });
      expect(page.events.filter((event) => damageOf(event) !== undefined).map((event) => event.position)).toEqual(['0000000000000005']);
      const result = await verifyLog(store, { pageSize: 4 });
      expect(result).toMatchObject({ events: 9, streams: 3, positionsChecked: false, storageChecked: false });
      expect(result.problems).toEqual([{ position: '0000000000000005', streamId: 'Account-1', revision: 1n, reason: expect.stringMatching(/checksum does not match/) as unknown }]);
      // A changed metadata key or event type is caught the same way.
      await sql(`UPDATE ${schema}.strata_events SET metadata = '{"commandId":"forged"}' WHERE position = 7`);
      await sql(`UPDATE ${schema}.strata_events SET type = 'MoneyWithdrawn' WHERE position = 9`);
      expect((await verifyLog(store)).problems.map((problem) => problem.position)).toEqual(['0000000000000005', '0000000000000007', '0000000000000009']);
    } finally {
      await store.close();
    }
  });

  it('migrates a log written before checksums: its rows read as unchecked, new rows are checksummed, a gap in revisions is named', async () => {
    const schema = database.freshSchema();
    const old = PostgresDatabase.open({ connectionString: database.url(), schema, poolSize: 1 });
    try {
      // The schema as the previous version left it: the first step only, appended through its strata_append.
      await migrate(old, 'events', EVENT_STORE_MIGRATIONS.slice(0, 1));
      await old.pool.query(`SELECT * FROM ${old.schema}.strata_append('Note-1', 'any', $1, $2, $3, $4, 'old')`, [['a', 'b'], ['Noted', 'Noted'], ['{"n":1}', '{"n":2}'], ['{}', '{}']]);
    } finally {
      await old.release();
    }
    const store = await open(schema);
    try {
      await store.appendToStream('Note-1', [{ type: 'Noted', data: { n: 3 } }], { expectedRevision: 1n });
      const events = await readAllOf(store, 'Note-1');
      expect(events.map((event) => [event.data['n'], isUnchecked(event)])).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
      expect(await verifyLog(store)).toMatchObject({ events: 3, unchecked: 2, problems: [] });
      // Without a checksum a changed legacy row cannot be caught; a deleted one still shows as a gap in its stream.
      await sql(`DELETE FROM ${schema}.strata_events WHERE event_id = 'b'`);
      expect((await verifyLog(store)).problems).toEqual([{ position: '0000000000000003', streamId: 'Note-1', revision: 2n, reason: 'revision 2 follows 0: revisions 1..1 are missing' }]);
    } finally {
      await store.close();
    }
  });

  it('verifies any JSON the application stores: jsonb reorders keys and rewrites numbers, and the checksum still matches', async () => {
    const store = await open(database.freshSchema());
    // Keys of every length and alphabet (digits, non-ASCII, __proto__), numbers of every scale.
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('10', '9', '__proto__', 'é', 'z', '😀', 'ab'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string().filter((text) => !text.includes('\u0000')), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node'), { maxLength: 4 }), tie('object')),
      object: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
    }));
    try {
      let stream = 0;
      await fc.assert(
        fc.asyncProperty(value.object, value.object, async (data, metadata) => {
          const streamId = `Json-${stream++}`;
          await store.appendToStream(streamId, [{ type: 'Anything', data, metadata }]);
          const [read] = await readAllOf(store, streamId);
          expect(read?.data).toEqual(JSON.parse(JSON.stringify(data)));
        }),
        { numRuns: 150 },
      );
      expect((await verifyLog(store)).problems).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
