import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBank, waitUntilServing } from './bank-process';
import { HttpClient } from '@strata/testing';

const dataDir = mkdtempSync(join(tmpdir(), 'strata-bank-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Acked {
  readonly key: string;
  readonly revision: unknown;
  readonly position: unknown;
}

describe('graceful shutdown (the bank as a process, on SQLite)', () => {
  it('SIGTERM during a stream of commands: exits 0, and every 2xx is in the log after a restart', async () => {
    const first = await spawnBank({ STRATA_DATA_DIR: dataDir, STRATA_SHUTDOWN_TIMEOUT_MS: '10000' });
    await waitUntilServing(first);
    const client = new HttpClient(() => first.url, () => false, 8);
    const opened = await client.post('/accounts', { owner: 'ada' });
    const id = String(opened.body['id']);

    const acked: Acked[] = [];
    const statuses = new Set<number>();
    let signalled = false;
    // Eight clients deposit without pause until the server is gone; each deposit has its own key.
    const streams = Array.from({ length: 8 }, async () => {
      for (;;) {
        const key = randomUUID();
        try {
          const answer = await client.post(`/accounts/${id}/deposits`, { amount: 1 }, { 'Idempotency-Key': key });
          statuses.add(answer.status);
          if (answer.status === 200) acked.push({ key, revision: answer.body['revision'], position: answer.body['position'] });
        } catch {
          if (signalled) return; // the listener closed
          throw new Error('a request failed before SIGTERM');
        }
      }
    });
    while (acked.length < 50) await new Promise((resolve) => setTimeout(resolve, 10));
    signalled = true;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await Promise.all(streams);
    client.close();
    expect(acked.length).toBeGreaterThanOrEqual(50);
    // Nothing but successes, and the 503 Fastify answers on a kept-alive connection once closing.
    expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(first.output()).toContain('stopped accepting requests');
    expect(first.output()).toContain('the stores closed');

    const second = await spawnBank({ STRATA_DATA_DIR: dataDir });
    const again = new HttpClient(() => second.url);
    try {
      await waitUntilServing(second);
      // A repeat of an acknowledged key answers the first result: it is in the log.
      for (const { key, revision, position } of acked) {
        const repeat = await again.post(`/accounts/${id}/deposits`, { amount: 1 }, { 'Idempotency-Key': key });
        expect({ status: repeat.status, revision: repeat.body['revision'], position: repeat.body['position'] }).toEqual({ status: 200, revision, position });
      }
      // And nothing else was applied: in-flight commands either answered 2xx or never ran.
      const last = acked.map(({ position }) => String(position)).sort().at(-1) as string;
      const account = await again.get(`/accounts/${id}`, { 'X-Strata-Position': last });
      expect(account.body['balance']).toBe(acked.length);
    } finally {
      again.close();
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    // Two starts of the bank as a process: half a minute each on a busy machine.
  }, 300_000);
});
