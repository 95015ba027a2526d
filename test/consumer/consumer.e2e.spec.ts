import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { freePort, waitUntilServing, type BankProcess } from '../../apps/bank/test/bank-process';
import { installConsumerApp, packPackages, startConsumerApp, step, stopConsumerApp, writeConsumerApp } from './consumer-app';

// Strata as a team adopts it: the packages packed as tarballs, installed into a new Nest app
// outside this repo (no path mapping, no repo sources), compiled with tsc in strict mode, run.
// Installing and compiling take minutes on a busy machine.
const SETUP_TIMEOUT_MS = 20 * 60_000;
const REGISTRY_ADVICE =
  'npm install in the consumer app failed. It needs the npm registry (or npm\'s cache holding every package the app needs); ' +
  'check that the registry is reachable from this machine, then run the test again.';

const work = mkdtempSync(join(tmpdir(), 'strata-consumer-'));
const appDir = join(work, 'app');
let app: BankProcess | undefined;
let specOutput = '';

beforeAll(async () => {
  const started = Date.now();
  const tarballs = await packPackages(join(work, 'packages'));
  writeConsumerApp(appDir, tarballs);
  await installConsumerApp(appDir, REGISTRY_ADVICE);
  await step('The consumer app does not compile against the packed packages (tsc, strict).', join(appDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], appDir);
  specOutput = await step('The consumer app\'s decider spec failed.', process.execPath, ['--test', join('dist', 'tasks', 'task.decider.spec.js')], appDir);
  app = startConsumerApp(appDir, await freePort(), join(work, 'data'));
  await waitUntilServing(app, 120_000);
  process.stdout.write(`consumer app packed, installed, compiled, tested and started in ${Math.round((Date.now() - started) / 1000)} s\n`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await stopConsumerApp(app);
  rmSync(work, { recursive: true, force: true });
});

async function send(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const response = await fetch(`${app!.url}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
}

describe('a Nest app that installs the packed Strata packages', () => {
  it('resolves @strata/* from its own node_modules, not from this repo', () => {
    for (const name of ['@strata/core', '@strata/sqlite', '@strata/testing']) {
      const resolved = realpathSync(require.resolve(name, { paths: [appDir] }));
      expect(resolved.startsWith(realpathSync(appDir) + sep)).toBe(true);
    }
  });

  it('ran its DeciderSpecification from @strata/testing', () => {
    expect(specOutput).toMatch(/# pass 3\b/);
    expect(specOutput).toMatch(/# fail 0\b/);
  });

  it('takes a command, then answers a read-your-writes query at the position it returned', async () => {
    const added = await send('POST', '/tasks', { title: 'Write the docs' });
    expect(added.status).toBe(201);
    const { id, position } = added.body as { id: string; position: string };
    // Without waiting or retrying: the header makes the query wait for the projection.
    const read = await send('GET', `/tasks/${id}`, undefined, { 'X-Strata-Position': position });
    expect(read).toMatchObject({ status: 200, body: { _id: id, title: 'Write the docs', done: false } });

    const completed = await send('POST', `/tasks/${id}/complete`);
    expect(completed.status).toBe(200);
    const after = await send('GET', `/tasks/${id}`, undefined, { 'X-Strata-Position': completed.body['position'] as string });
    expect(after.body).toMatchObject({ _id: id, done: true });
  });

  it('answers a domain rule with 422 and a bad body with 400, as problem+json', async () => {
    const { body } = await send('POST', '/tasks', { title: 'Once' });
    const id = body['id'] as string;
    await send('POST', `/tasks/${id}/complete`);
    const again = await send('POST', `/tasks/${id}/complete`);
    expect(again).toMatchObject({ status: 422, body: { code: 'TASK_ALREADY_DONE' } });
    expect(again.type).toContain('application/problem+json');

    const invalid = await send('POST', '/tasks', { title: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.type).toContain('application/problem+json');
  });
});
