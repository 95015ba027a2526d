import type { Position } from '@strata/core';
import { describeWithPostgres } from '@strata/testing/postgres';
import { PostgresEventStore } from './postgres-event-store';

describeWithPostgres('PostgreSQL wake-ups across instances (LISTEN/NOTIFY)', (database) => {
  it("tells a store's listeners about appends another instance commits, once each, and not about its own twice", async () => {
    const schema = database.freshSchema();
    const options = { connectionString: database.url(), schema, poolSize: 2 };
    const [writer, follower] = [await PostgresEventStore.open(options), await PostgresEventStore.open(options)];
    try {
      const heard: Position[] = [];
      follower.onAppended((position) => heard.push(position));
      // LISTEN starts with the first listener; appends before it is in place are the poll's to find.
      const started = Date.now();
      let first = await writer.appendToStream('Wake-1', [{ type: 'A', data: {} }]);
      while (!heard.includes(first.position) && Date.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (!heard.includes(first.position)) first = await writer.appendToStream('Wake-1', [{ type: 'A', data: {} }]);
      }
      expect(heard).toContain(first.position);
      heard.length = 0;
      const second = await writer.appendToStream('Wake-2', [{ type: 'B', data: {} }, { type: 'C', data: {} }]);
      const own = await follower.appendToStream('Wake-3', [{ type: 'D', data: {} }]);
      const deadline = Date.now() + 10_000;
      while (!heard.includes(second.position) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect([...heard].sort()).toEqual([second.position, own.position].sort());
    } finally {
      await Promise.all([writer.close(), follower.close()]);
    }
  });
});
