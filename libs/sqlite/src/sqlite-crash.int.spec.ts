import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@strata/core';
import { spawnWriter, waitForAcks } from '../test/spawn-writer';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(filename: string, streamId: string): Promise<RecordedEvent[]> {
  const store = SqliteEventStore.open({ filename });
  const events: RecordedEvent[] = [];
  try {
    for await (const event of store.readStream(streamId)) events.push(event);
  } finally {
    await store.close();
  }
  return events;
}

describe('SQLite event store across processes', () => {
  it('keeps every acknowledged append after kill -9, three times over', async () => {
    const filename = join(dir, 'crash.db');
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const writer = spawnWriter([filename, 'Crash-1', 'forever']);
      // Kill at a different point each round, while appends are in flight.
      await waitForAcks(writer, 50 + Math.floor(Math.random() * 150));
      writer.child.kill('SIGKILL');
      await writer.exited;
      acked.push(...writer.acked);
    }
    const db = new Database(filename, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const events = await readAll(filename, 'Crash-1');
    const stored = new Set(events.map((event) => event.id));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(events.map((event) => event.revision)).toEqual(events.map((_, i) => BigInt(i)));
    expect(events.length).toBeGreaterThanOrEqual(acked.length);
  });

  it('two processes appending with expected revisions to one stream lose nothing and duplicate nothing', async () => {
    const filename = join(dir, 'shared.db');
    const writers = [0, 1].map(() => spawnWriter([filename, 'Shared-1', '100', 'optimistic']));
    const codes = await Promise.all(writers.map((writer) => writer.exited));
    expect(codes).toEqual([0, 0]);
    const events = await readAll(filename, 'Shared-1');
    expect(events).toHaveLength(200);
    expect(events.map((event) => event.revision)).toEqual(events.map((_, i) => BigInt(i)));
    const acked = writers.flatMap((writer) => writer.acked);
    expect(new Set(events.map((event) => event.id))).toEqual(new Set(acked));
    expect(new Set(events.map((event) => event.data['pid'])).size).toBe(2);
  });
});
