import { BankTestApp } from './bank-test-app';
import { malformed } from '@strata/testing';

// A catalogue of known-hostile input, tried in full combination on every bank endpoint;
// hostile-input.property.e2e.spec.ts generates random input for the same checks.
const PATH_IDS = (known: string) => [
  known,
  known.toUpperCase(),
  '00000000-0000-4000-8000-000000000000',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%E0%A4%A',
  'x'.repeat(300),
  '1%20OR%201%3D1',
  '%E2%80%AE%F0%9F%92%A9',
  '{{7*7}}',
];

const BODIES: readonly (object | string | undefined)[] = [
  undefined,
  {},
  [],
  'null',
  'true',
  '"text"',
  '{',
  '{"amount":1e308}',
  '{"amount":1,"amount":2}',
  { amount: -1 },
  { amount: 0 },
  { amount: 1.5 },
  { amount: '5' },
  { amount: 2 ** 53 },
  { amount: 1 },
  { amount: 1, extra: true },
  JSON.parse('{"__proto__":{"amount":5,"isAdmin":true}}') as object,
  { constructor: { prototype: { polluted: true } } },
  { owner: 'x'.repeat(101) },
  { owner: 'ada\u0000\u202e' },
  { owner: { $gt: '' } },
  { owner: 'ada' },
  '['.repeat(5_000) + ']'.repeat(5_000),
];

const HEADERS: readonly Record<string, string>[] = [
  {},
  { 'If-Match': '"0"' },
  { 'If-Match': 'W/"1"' },
  { 'If-Match': `"${'9'.repeat(40)}"` },
  { 'Idempotency-Key': 'k\u00e9y' },
  { 'Idempotency-Key': 'hostile-key' },
  { 'X-Correlation-Id': '../../x' },
  { 'X-Strata-Position': '9'.repeat(16) },
  { 'X-Strata-Position': '-1' },
  { 'content-type': 'text/plain' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { authorization: 'Bearer a.b.c' },
];

describe('hostile input on every endpoint', () => {
  let bank: BankTestApp;

  beforeAll(async () => {
    bank = await BankTestApp.start();
  });

  afterAll(() => bank.stop());

  /** Events appended by commands sent over HTTP (a saga's commands have a causation of their own). */
  async function directEvents(): Promise<number> {
    const page = await bank.store.readAll({ maxCount: 100_000 });
    return page.events.filter((event) => event.metadata.causationId === event.metadata.commandId).length;
  }

  it('never answers 5xx or a malformed answer, and changes the log only through accepted commands', async () => {
    const account = await bank.openAccount('ada');
    const other = await bank.openAccount('grace');
    await bank.deposit(account, 1_000);
    const posts = ['deposits', 'withdrawals', 'close'].flatMap((action) => PATH_IDS(account).map((id) => `/accounts/${id}/${action}`));
    const gets = PATH_IDS(account).flatMap((id) => [`/accounts/${id}`, `/accounts/${id}/transactions?limit=1`, `/transfers/${id}`]);
    const queries = ['/accounts?limit=0', '/accounts?limit=1e1', '/accounts?cursor=%00', '/accounts?owner[$ne]=x', '/accounts?status=open&status=closed', `/accounts?unknown=1`];
    const requests: { method: 'GET' | 'POST'; url: string; body?: object | string | undefined; headers: Record<string, string> }[] = [
      ...[...posts, '/accounts'].flatMap((url) => BODIES.map((body) => ({ method: 'POST' as const, url, body }))),
      ...BODIES.map((body) => ({ method: 'POST' as const, url: '/transfers', body: typeof body === 'object' && !Array.isArray(body) ? { from: account, to: other, ...body } : body })),
      ...[...gets, ...queries].map((url) => ({ method: 'GET' as const, url })),
    ].flatMap((request) => HEADERS.map((headers) => ({ ...request, headers })));

    const failures: string[] = [];
    let before = await directEvents();
    for (const request of requests) {
      const reply = await bank.request({ ...request, ...(request.body === undefined ? {} : { body: request.body }) });
      const problem = malformed(reply);
      if (problem !== null) failures.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)}: ${problem}`);
      const after = await directEvents();
      const grew = after - before;
      // A refused request appends nothing; an accepted command at most its one event (none when repeated).
      if (grew !== 0 && !(reply.status < 300 && request.method === 'POST' && grew === 1)) {
        failures.push(`${request.method} ${request.url}: ${reply.status} but the log grew by ${grew}`);
      }
      before = after;
    }
    process.stdout.write(`hostile input: ${requests.length} requests tried, ${failures.length} failures\n`);
    expect(failures).toEqual([]);
    expect(requests.length).toBeGreaterThan(3_000);
  }, 300_000);
});
