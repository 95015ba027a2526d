import { setTimeout as sleep } from 'node:timers/promises';
import { BankTestApp, expectProblem, type Reply } from './bank-test-app';
import { spawnBank, waitUntilServing, type BankProcess } from './bank-process';
import { RawConnection, type RawAnswer } from './raw-http';
import { bearer, JWT_ENV, tokenFor } from './tokens';

// Short limits, so attacks end quickly; every wait below allows SLACK_MS more than the limit,
// because on a busy machine the server may be slow to notice, never early.
const HEADERS_TIMEOUT_MS = 3_000;
const BODY_TIMEOUT_MS = 3_000;
const PER_ADDRESS = 20;
const SLACK_MS = 25_000;
const LIMITS = {
  STRATA_HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  STRATA_HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
  STRATA_HTTP_REQUEST_TIMEOUT_MS: '8000',
  STRATA_HTTP_KEEP_ALIVE_TIMEOUT_MS: '60000',
  STRATA_HTTP_MAX_CONNECTIONS: '400',
  STRATA_HTTP_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
};
const ada = bearer(tokenFor('ada', { expiresIn: 3_600 }));

/** A raw answer as the shared problem assertions read it. */
function asReply(answer: Omit<RawAnswer, 'closedAfterMs'>): Reply {
  return { status: answer.status, headers: answer.headers, body: answer.body, json: <T>() => JSON.parse(answer.body) as T };
}

/** The headers every answer carries, errors raised before routing included. */
function expectSecurityHeaders(headers: Reply['headers']): void {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-security-policy']).toEqual(expect.stringContaining("default-src 'self'"));
  expect(headers['strict-transport-security']).toEqual(expect.stringContaining('max-age='));
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(headers['x-correlation-id']).toEqual(expect.any(String));
}

async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const body = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body, json: <T>() => JSON.parse(body) as T };
}

describe('hostile clients (the bank as a process, auth on, short HTTP limits)', () => {
  let bank: BankProcess;

  beforeAll(async () => {
    bank = await spawnBank({ ...JWT_ENV, ...LIMITS, STRATA_EVENT_STORE: 'memory', LOG_LEVEL: 'warn' });
    await waitUntilServing(bank, 150_000);
  }, 180_000);

  afterAll(async () => {
    bank.child.kill('SIGTERM');
    await bank.exited;
  });

  /** Normal, authenticated traffic until `until` settles: every request counted, every failure kept. */
  async function normalTraffic(until: Promise<unknown>): Promise<{ attempted: number; failures: string[] }> {
    let done = false;
    void until.finally(() => (done = true));
    let attempted = 0;
    const failures: string[] = [];
    const json = { ...ada, 'content-type': 'application/json' };
    while (!done) {
      attempted += 3;
      try {
        const opened = await send(`${bank.url}/accounts`, { method: 'POST', headers: json, body: '{}' });
        if (opened.status !== 201) failures.push(`open ${opened.status}`);
        const id = opened.json<{ id?: string }>().id ?? 'none';
        const deposit = await send(`${bank.url}/accounts/${id}/deposits`, { method: 'POST', headers: json, body: '{"amount":5}' });
        if (deposit.status !== 200) failures.push(`deposit ${deposit.status}`);
        const live = await send(`${bank.url}/health/live`);
        if (live.status !== 200) failures.push(`live ${live.status}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
    return { attempted, failures };
  }

  it('cuts 120 slow bodies (no token needed to hold one) within the body timeout, while normal requests all succeed', async () => {
    // Six client addresses, each within the per-address cap, so the timeout (not a cap) is what ends them.
    const slow = await Promise.all(Array.from({ length: 120 }, (_, i) => RawConnection.open(bank.url, `127.0.0.${10 + (i % 6)}`)));
    for (const connection of slow) {
      connection.write('POST /accounts HTTP/1.1\r\nHost: bank\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
      connection.restartClock();
    }
    const trickle = setInterval(() => slow.forEach((connection) => connection.write(' ')), 500);
    const answers = Promise.all(slow.map((connection) => connection.answer(BODY_TIMEOUT_MS + SLACK_MS)));
    try {
      const traffic = await normalTraffic(answers);
      for (const answer of await answers) {
        expect(answer.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + SLACK_MS);
        const reply = asReply(answer);
        expect(expectProblem(reply, 408, 'REQUEST_TIMEOUT').detail).toMatch(/STRATA_HTTP_BODY_TIMEOUT_MS/);
        expectSecurityHeaders(reply.headers);
      }
      expect(traffic.failures).toEqual([]);
      expect(traffic.attempted).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(trickle);
      slow.forEach((connection) => connection.destroy());
    }
    expect((await send(`${bank.url}/health/live`)).status).toBe(200);
  }, 120_000);

  it('cuts headers trickled a line at a time within the headers timeout', async () => {
    const slow = await Promise.all(Array.from({ length: 10 }, () => RawConnection.open(bank.url, '127.0.0.20')));
    slow.forEach((connection) => connection.write('GET /health/live HTTP/1.1\r\nHost: bank\r\n'));
    const trickle = setInterval(() => slow.forEach((connection, i) => connection.write(`X-Slow-${i}: ${Date.now()}\r\n`)), 500);
    try {
      for (const answer of await Promise.all(slow.map((connection) => connection.answer(HEADERS_TIMEOUT_MS + SLACK_MS)))) {
        const reply = asReply(answer);
        expectProblem(reply, 408, 'REQUEST_TIMEOUT');
        expectSecurityHeaders(reply.headers);
      }
    } finally {
      clearInterval(trickle);
    }
  }, 90_000);

  it('answers connections past the per-address cap with 503 problem+json, and no other client notices', async () => {
    const held = await Promise.all(Array.from({ length: PER_ADDRESS }, () => RawConnection.open(bank.url, '127.0.0.30')));
    try {
      for (const connection of held) {
        connection.write('GET /health/live HTTP/1.1\r\nHost: bank\r\n\r\n');
        expect((await connection.nextAnswer(SLACK_MS)).status).toBe(200);
      }
      const extra = await RawConnection.open(bank.url, '127.0.0.30');
      extra.write('GET /health/live HTTP/1.1\r\nHost: bank\r\n\r\n');
      const refused = asReply(await extra.answer(SLACK_MS));
      expect(expectProblem(refused, 503, 'TOO_MANY_CONNECTIONS').detail).toMatch(/STRATA_HTTP_MAX_CONNECTIONS_PER_ADDRESS/);
      expect(refused.headers['retry-after']).toBe('1');
      expectSecurityHeaders(refused.headers);
      const other = await RawConnection.open(bank.url, '127.0.0.31');
      other.write('GET /health/live HTTP/1.1\r\nHost: bank\r\nConnection: close\r\n\r\n');
      expect((await other.answer(SLACK_MS)).status).toBe(200);
    } finally {
      held.forEach((connection) => connection.destroy());
    }
    // Once the held connections are gone, the address is welcome again.
    const deadline = Date.now() + SLACK_MS;
    for (;;) {
      const again = await RawConnection.open(bank.url, '127.0.0.30');
      again.write('GET /health/live HTTP/1.1\r\nHost: bank\r\nConnection: close\r\n\r\n');
      const status = (await again.answer(SLACK_MS)).status;
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`127.0.0.30 still refused (${status}) after its connections closed`);
      await sleep(200);
    }
  }, 90_000);

  it('answers JSON nested 1,000 and 2,000 levels deep with 400 JSON_TOO_DEEP, on the fingerprinted path too, and keeps serving', async () => {
    const json = { ...ada, 'content-type': 'application/json' };
    const account = (await send(`${bank.url}/accounts`, { method: 'POST', headers: json, body: '{}' })).json<{ id: string }>().id;
    for (const depth of [1_000, 2_000, 100_000]) {
      const nested = '['.repeat(depth) + ']'.repeat(depth);
      const open = await send(`${bank.url}/accounts`, { method: 'POST', headers: json, body: `{"owner":"ada","x":${nested}}` });
      expect(expectProblem(open, 400, 'JSON_TOO_DEEP').detail).toMatch(/STRATA_HTTP_JSON_MAX_DEPTH/);
      const deposit = await send(`${bank.url}/accounts/${account}/deposits`, {
        method: 'POST',
        headers: { ...json, 'Idempotency-Key': `deep-${depth}` },
        body: `{"amount":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      });
      expectProblem(deposit, 400, 'JSON_TOO_DEEP');
      expectSecurityHeaders(deposit.headers);
    }
    const fine = await send(`${bank.url}/accounts/${account}/deposits`, { method: 'POST', headers: json, body: '{"amount":5}' });
    expect(fine.status).toBe(200);
  }, 60_000);

  it.each<[string, string, number, string]>([
    ['a malformed request line', 'GET / HTTP/1.1 junk\r\nHost: bank\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a method with a space in it', 'GE T / HTTP/1.1\r\nHost: bank\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a body framed both by length and chunks', 'POST /accounts HTTP/1.1\r\nHost: bank\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a non-numeric Content-Length', 'POST /accounts HTTP/1.1\r\nHost: bank\r\nContent-Length: abc\r\n\r\n', 400, 'BAD_REQUEST'],
    ['headers over the size limit', `GET /health/live HTTP/1.1\r\nHost: bank\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE'],
  ])('answers %s, refused before routing, as problem+json with the security headers', async (_case, request, status, code) => {
    const connection = await RawConnection.open(bank.url);
    connection.write(request);
    const reply = asReply(await connection.answer(SLACK_MS));
    expectProblem(reply, status, code);
    expectSecurityHeaders(reply.headers);
  });

  it('answers a body over the limit with 413 problem+json and the security headers', async () => {
    const reply = await send(`${bank.url}/accounts`, { method: 'POST', headers: { ...ada, 'content-type': 'application/json' }, body: `{"owner":"${'a'.repeat(1_100_000)}"}` });
    expectProblem(reply, 413);
    expectSecurityHeaders(reply.headers);
  });

  it.each(['/docs', '/docs/json', '/docs/yaml'])('keeps %s behind a token: 401 problem+json without one, 200 with one', async (path) => {
    const refused = await send(`${bank.url}${path}`);
    expectProblem(refused, 401, 'UNAUTHENTICATED');
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expectSecurityHeaders(refused.headers);
    expect((await send(`${bank.url}${path}`, { headers: ada })).status).toBe(200);
    expect((await send(`${bank.url}${path}`, { headers: bearer('not.a.token') })).status).toBe(401);
  });
});

describe('the API docs with auth on and STRATA_DOCS_PUBLIC=true', () => {
  let bank: BankTestApp;

  beforeAll(async () => {
    bank = await BankTestApp.start({ strata: { env: { ...JWT_ENV, STRATA_DOCS_PUBLIC: 'true' } } });
  });

  afterAll(() => bank.stop());

  it('serves the docs without a token, while the API still needs one', async () => {
    for (const path of ['/docs', '/docs/json', '/docs/yaml']) expect((await bank.get(path)).status).toBe(200);
    expectProblem(await bank.get('/accounts'), 401, 'UNAUTHENTICATED');
  });
});
