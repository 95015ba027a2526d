import { randomUUID } from 'node:crypto';
import { comparePositions, type Position, type RecordedEvent } from '@strata/core';
import { describeWithPostgres } from '@strata/testing/postgres';
import { Client } from 'pg';
import { PostgresEventStore } from './postgres-event-store';

/** A catch-up reader as a projection runs it: pages from its checkpoint, never re-reading below it. */
class CatchUpReader {
  readonly seen: RecordedEvent[] = [];
  private checkpoint: Position | null = null;

  constructor(private readonly store: PostgresEventStore) {}

  async poll(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ maxCount: 50, ...(this.checkpoint === null ? {} : { fromPosition: this.checkpoint }) });
      const fresh = page.events.filter((event) => this.checkpoint === null || comparePositions(event.position, this.checkpoint) > 0);
      this.seen.push(...fresh);
      const last = page.events[page.events.length - 1];
      if (last) this.checkpoint = last.position;
      if (page.nextPosition === null) return;
    }
  }
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describeWithPostgres('PostgreSQL global order under out-of-order commits', (database) => {
  const clients: Client[] = [];
  const stores: PostgresEventStore[] = [];
  const client = async (): Promise<Client> => {
    const opened = await connect(database.url());
    clients.push(opened);
    return opened;
  };
  const store = async (schema: string): Promise<PostgresEventStore> => {
    const opened = await PostgresEventStore.open({ connectionString: database.url(), schema, poolSize: 4 });
    stores.push(opened);
    return opened;
  };
  const append = (c: Client, schema: string, streamId: string, id: string) =>
    c.query(`SELECT * FROM "${schema}".strata_append($1, 'any', ARRAY[$2], ARRAY['Appended'], ARRAY['{}'], ARRAY['{}'], 'test')`, [streamId, id]);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('shows the trap: with a bare sequence, a reader skips a row that commits after a higher one', async () => {
    const [a, b, reader] = [await client(), await client(), await client()];
    await a.query('CREATE TABLE trap (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text)');
    await a.query('BEGIN');
    await a.query("INSERT INTO trap (label) VALUES ('first')");
    await b.query("INSERT INTO trap (label) VALUES ('second')");
    const before = await reader.query<{ position: string; label: string }>('SELECT position, label FROM trap ORDER BY position');
    await a.query('COMMIT');
    const checkpoint = before.rows[before.rows.length - 1]?.position ?? '0';
    const after = await reader.query<{ label: string }>('SELECT label FROM trap WHERE position > $1 ORDER BY position', [checkpoint]);
    // The reader moved past position 2 before position 1 committed: 'first' is never read.
    expect(before.rows.map((row) => row.label)).toEqual(['second']);
    expect(after.rows).toEqual([]);
  });

  it('an append that commits late holds back the ones after it: the reader never passes it', async () => {
    const schema = database.freshSchema();
    const events = await store(schema);
    const reader = new CatchUpReader(events);
    const slow = await client();
    await slow.query('BEGIN');
    await append(slow, schema, 'Slow-1', 'slow');
    // This append must wait for the open one: it cannot take a position the reader could pass.
    let fastDone = false;
    const fast = events.appendToStream('Fast-1', [{ type: 'Appended', data: {}, id: 'fast' }]).then((result) => {
      fastDone = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await reader.poll();
    expect(fastDone).toBe(false);
    expect(reader.seen).toEqual([]);
    await slow.query('COMMIT');
    await fast;
    await reader.poll();
    expect(reader.seen.map((event) => event.id)).toEqual(['slow', 'fast']);
  });

  it('concurrent appends committing in random order while a reader follows: every event seen exactly once, in position order', async () => {
    const schema = database.freshSchema();
    const events = await store(schema);
    const reader = new CatchUpReader(events);
    const writers = await Promise.all(Array.from({ length: 6 }, () => client()));
    const written: string[] = [];
    let writing = true;
    const follow = (async () => {
      while (writing) await reader.poll();
      await reader.poll();
    })();
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 25; i++) {
          const id = `${w}-${i}-${randomUUID()}`;
          await writer.query('BEGIN');
          await append(writer, schema, `Order-${w}`, id);
          // Hold the transaction open a random while, so commits would land out of position order.
          await writer.query('SELECT pg_sleep($1)', [Math.random() * 0.02]);
          await writer.query('COMMIT');
          written.push(id);
        }
      }),
    );
    writing = false;
    await follow;
    const seenIds = reader.seen.map((event) => event.id);
    expect(seenIds).toHaveLength(written.length);
    expect(new Set(seenIds)).toEqual(new Set(written));
    for (let i = 1; i < reader.seen.length; i++) {
      expect(comparePositions((reader.seen[i - 1] as RecordedEvent).position, (reader.seen[i] as RecordedEvent).position)).toBeLessThan(0);
    }
  });
});
