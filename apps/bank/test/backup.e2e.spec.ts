import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Position } from '@strata/core';
import { positionFromSequence, sequenceFromPosition } from '@strata/core/adapter';
import { SqliteEventStore } from '@strata/sqlite';
import { spawnBank, waitUntilServing } from './bank-process';
import { runCli, spawnCli } from './cli-process';
import { Children, storeFile } from './store-files';

jest.setTimeout(900_000);

const root = mkdtempSync(join(tmpdir(), 'strata-backup-'));
const children = new Children();
afterEach(() => children.killAll());
afterAll(() => {
  children.killAll();
  rmSync(root, { recursive: true, force: true });
});

interface Ack {
  readonly position: Position;
  readonly streamId: string;
  readonly at: number;
}

describe('backup under write load, then restore --verify into a fresh folder', () => {
  it('holds every event acknowledged before the backup began, and every rebuilt read model matches', async () => {
    const live = join(root, 'live');
    const backupFile = join(root, 'backups', 'bank.db');
    const restored = join(root, 'restored');
    const bank = children.track(await spawnBank({ STRATA_DATA_DIR: live, LOG_LEVEL: 'silent' }));
    await waitUntilServing(bank, 240_000);
    const post = async (path: string, body: object): Promise<Record<string, unknown> & { status: number }> => {
      const response = await fetch(`${bank.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, ...((await response.json()) as Record<string, unknown>) };
    };
    const accounts: string[] = [];
    for (let i = 0; i < 5; i++) accounts.push(String((await post('/accounts', { owner: `owner-${i}` }))['id']));

    // Four writers deposit without pause until told to stop; every acknowledgement is kept.
    const acks: Ack[] = [];
    let writing = true;
    const writers = accounts.slice(0, 4).map(async (id) => {
      while (writing) {
        const reply = await post(`/accounts/${id}/deposits`, { amount: 1 });
        if (reply.status === 200) acks.push({ position: reply['position'] as Position, streamId: `Account-${id}`, at: Date.now() });
      }
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const backupStarted = Date.now();
      const backup = children.track(spawnCli(['backup', backupFile], { STRATA_DATA_DIR: live }));
      const done = await backup.done;
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/^backup: wrote '.*bank\.db' \(\d+ bytes, \d+ events, every checksum and the integrity check verified\)/);
      const before = acks.filter((ack) => ack.at < backupStarted);
      expect(before.length).toBeGreaterThan(0);
      // Writing went on during the backup: the app was online throughout.
      expect(acks.some((ack) => ack.at > backupStarted)).toBe(true);

      writing = false;
      await Promise.all(writers);
      const restore = await runCli(['restore', backupFile, '--into', restored, '--verify'], { STRATA_DATA_DIR: live });
      // stderr holds progress only (a line per interval off a terminal), never an error.
      expect(restore.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('restore: scanning'))).toEqual([]);
      expect(restore.code).toBe(0);
      for (const projection of ['accounts', 'account-transactions', 'transfers']) {
        expect(restore.stdout).toMatch(new RegExp(`^restore: ${projection}: backup [0-9a-f]{16}  rebuilt [0-9a-f]{16}  match`, 'm'));
      }
      expect(restore.stdout).toMatch(/restore: every projection's rebuilt read model matches the backup's/);

      const store = SqliteEventStore.open({ filename: storeFile(restored) });
      try {
        const head = await store.headPosition();
        expect(head).not.toBeNull();
        for (const ack of before) {
          const page = await store.readAll({ fromPosition: ack.position, maxCount: 1 });
          expect({ position: page.events[0]?.position, streamId: page.events[0]?.streamId }).toEqual({ position: ack.position, streamId: ack.streamId });
        }
        // A consistent copy: the restored log is contiguous from 1 to its head.
        const count = sequenceFromPosition(head as Position);
        expect((await store.readAll({ fromPosition: positionFromSequence(count), maxCount: 1 })).events).toHaveLength(1);
        expect(await store.checkStorage()).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      writing = false;
      await Promise.all(writers);
    }
  });

  it('refuses to overwrite a file, and to restore into a folder that is not empty, as usage errors', async () => {
    const dir = join(root, 'usage');
    const exists = await runCli(['backup', __filename], { STRATA_DATA_DIR: dir });
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/a backup never overwrites a file/);
    const notEmpty = await runCli(['restore', __filename, '--into', __dirname], { STRATA_DATA_DIR: dir });
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toMatch(/is not empty; restore into a new or empty folder/);
  });
});
