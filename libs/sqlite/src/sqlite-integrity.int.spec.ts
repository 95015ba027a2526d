import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog, type RecordedEvent } from '@strata/core';
import { damageOf } from '@strata/core/adapter';
import Database from 'better-sqlite3';
import { damageEventsLeafPage } from '../test/damage';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-integrity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (): string => join(dir, `store-${++files}.db`);

async function seeded(count: number): Promise<string> {
  const filename = file();
  const store = SqliteEventStore.open({ filename, synchronous: 'OFF' });
  for (let i = 0; i < count; i++) await store.appendToStream(`Note-${i % 3}`, [{ type: 'Noted', data: { text: `note ${i} `.padEnd(200, '.') } }]);
  await store.close();
  return filename;
}

function flip(filename: string, from: string, to: string): void {
  const bytes = readFileSync(filename);
  const at = bytes.indexOf(from, 0, 'latin1');
  expect(at).toBeGreaterThan(0);
  bytes.write(to, at, 'latin1');
  writeFileSync(filename, bytes);
}

describe('SqliteEventStore integrity', () => {
  it('refuses a changed event on a stream read, marks it for readAll with includeDamaged, and verify names it', async () => {
    const filename = await seeded(10);
    flip(filename, 'note 4 ', 'note 9 ');
    const store = SqliteEventStore.open({ filename });
    try {
      const read = async (): Promise<void> => {
        for await (const event of store.readStream('Note-1')) void event;
      };
      await expect(read()).rejects.toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', position: '0000000000000005', streamId: 'Note-1', revision: 1n });
      await expect(store.readAll()).rejects.toMatchObject({ code: 'EVENT_INTEGRITY_FAILED' });
      const page = await store.readAll({ includeDamaged: true });
      expect(page.events.filter((event) => damageOf(event) !== undefined).map((event) => event.position)).toEqual(['0000000000000005']);
      const result = await verifyLog(store, { pageSize: 3 });
      expect(result).toMatchObject({ events: 10, streams: 3, unchecked: 0, positionsChecked: true, storageChecked: true });
      expect(result.problems).toEqual([{ position: '0000000000000005', streamId: 'Note-1', revision: 1n, reason: expect.stringMatching(/checksum/) as unknown }]);
    } finally {
      await store.close();
    }
  });

  it('reads rows without a checksum (written before checksums) as legacy, unverified', async () => {
    const filename = await seeded(3);
    const db = new Database(filename);
    db.prepare('UPDATE strata_events SET checksum = NULL').run();
    db.close();
    flip(filename, 'note 1 ', 'note 7 ');
    const store = SqliteEventStore.open({ filename });
    try {
      const page = await store.readAll();
      expect(page.events.map((event: RecordedEvent) => (event.data as { text: string }).text.slice(0, 6))).toEqual(['note 0', 'note 7', 'note 2']);
      expect(await verifyLog(store)).toMatchObject({ events: 3, unchecked: 3, problems: [] });
    } finally {
      await store.close();
    }
  });

  it('names a deleted event: the gap in positions, and the gap in its stream\'s revisions', async () => {
    const filename = await seeded(9);
    const db = new Database(filename);
    db.prepare('DELETE FROM strata_events WHERE position = 5').run();
    db.close();
    const store = SqliteEventStore.open({ filename });
    try {
      const result = await verifyLog(store, { pageSize: 2 });
      expect(result.problems).toEqual([
        { position: '0000000000000005', reason: expect.stringMatching(/^position missing: 1 event\(s\) before position 0000000000000006/) as unknown },
        { position: '0000000000000008', streamId: 'Note-1', revision: 2n, reason: 'revision 2 follows 0: revisions 1..1 are missing' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('names every position a damaged leaf page hides, reads on past it, and fails SQLite integrity_check', async () => {
    const filename = await seeded(150);
    damageEventsLeafPage(filename);
    const store = SqliteEventStore.open({ filename });
    try {
      await expect(store.readAll({ maxCount: 1000 })).rejects.toMatchObject({ code: 'STORE_CORRUPTED' });
      const result = await verifyLog(store, { pageSize: 50 });
      const unreadable = result.problems.filter((problem) => problem.reason.startsWith('unreadable'));
      expect(unreadable.length).toBeGreaterThan(0);
      expect(result.events + unreadable.length).toBe(150);
      expect(result.problems.some((problem) => problem.position === null && problem.reason.startsWith('storage check'))).toBe(true);
    } finally {
      await store.close();
    }
  });
});
