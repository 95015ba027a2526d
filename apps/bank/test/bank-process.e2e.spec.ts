import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';

const dataDir = mkdtempSync(join(tmpdir(), 'strata-bank-process-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function post(bank: BankProcess, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${bank.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, etag: response.headers.get('etag'), body: (await response.json()) as Record<string, unknown> };
}

// Each test starts the bank as a process, some twice: half a minute a start on a busy machine.
jest.setTimeout(300_000);

describe('the bank as a process (main.ts on the SQLite store)', () => {
  it('serves, stops cleanly on SIGTERM, and keeps every event across a restart', async () => {
    const first = await spawnBank({ STRATA_DATA_DIR: dataDir });
    await waitUntilServing(first);
    const opened = await post(first, '/accounts', { owner: 'ada' });
    expect(opened.status).toBe(201);
    const id = String(opened.body['id']);
    expect((await post(first, `/accounts/${id}/deposits`, { amount: 100 })).body).toMatchObject({ revision: 1 });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await spawnBank({ STRATA_DATA_DIR: dataDir });
    try {
      await waitUntilServing(second);
      // The account and its balance came back from the file: a stale If-Match is refused,
      // withdrawing more than was deposited is refused, and the next revision continues at 2.
      expect((await post(second, `/accounts/${id}/withdrawals`, { amount: 10 }, { 'if-match': '"0"' })).status).toBe(412);
      expect((await post(second, `/accounts/${id}/withdrawals`, { amount: 101 })).status).toBe(422);
      const withdrawn = await post(second, `/accounts/${id}/withdrawals`, { amount: 100 });
      expect(withdrawn).toMatchObject({ status: 200, etag: '"2"', body: { id, revision: 2 } });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it.each([
    ['STRATA_EVENT_STORE', { STRATA_EVENT_STORE: 'cassandra' }],
    ['STRATA_SQLITE_SYNCHRONOUS', { STRATA_SQLITE_SYNCHRONOUS: 'sometimes' }],
    ['PORT', { PORT: 'eighty' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    // The distributed adapters are registered, so choosing them asks for their servers.
    ['KURRENTDB_URL', { STRATA_EVENT_STORE: 'kurrentdb', STRATA_READ_STORE: 'sqlite', KURRENTDB_URL: '' }],
    ['MONGODB_URL', { STRATA_READ_STORE: 'mongodb', MONGODB_URL: 'localhost:27017' }],
    ['STRATA_HTTP_BODY_TIMEOUT_MS', { STRATA_HTTP_BODY_TIMEOUT_MS: 'soon' }],
    ['STRATA_JWT_JWKS_URL', { STRATA_AUTH: 'jwt', STRATA_JWT_ISSUER: 'https://id.example', STRATA_JWT_AUDIENCE: 'bank', STRATA_JWT_JWKS_URL: 'http://id.example/jwks' }],
  ])('refuses to start with an invalid %s, naming it in one line, and exits 1', async (variable, env) => {
    const bank = await spawnBank({ STRATA_DATA_DIR: dataDir, ...env });
    expect(await bank.exited).toBe(1);
    expect(bank.output()).toContain(`bank failed to start: ${variable}:`);
    expect(bank.output().trim().split('\n')).toHaveLength(1);
  });

  it('refuses a PORT another process holds, naming it in one line', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const bank = await spawnBank({ STRATA_DATA_DIR: dataDir, PORT: String(port) });
      expect(await bank.exited).toBe(1);
      // The app had started (its JSON log lines are there) before listening failed.
      expect(bank.output().split('\n')).toContain(`bank failed to start: PORT: ${port} is already in use on 127.0.0.1. Stop what holds it, or choose another port.`);
      expect(bank.output()).not.toMatch(/^\s+at /m);
    } finally {
      holder.close();
    }
  });

  it('refuses a STRATA_DATA_DIR it cannot create, naming it, and writes nothing', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a folder');
    const bank = await spawnBank({ STRATA_DATA_DIR: join(file, 'data') });
    expect(await bank.exited).toBe(1);
    expect(bank.output()).toMatch(/^bank failed to start: STRATA_DATA_DIR: cannot keep the embedded store at '.*a-file.data.strata\.db': ENOTDIR/);
    expect(bank.output().trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });
});
