import fc from 'fast-check';
import { malformed } from '@strata/testing';
import { BankTestApp } from './bank-test-app';

// Property-based: random bodies, path ids, query strings and header values on every endpoint.
// Whatever arrives, the answer is never a 5xx or a malformed problem, and the log only grows
// by the one event an accepted command appends.
const RUNS = 500;

type Method = 'GET' | 'POST';

/** Bodies: any JSON value, objects shaped like the bank's DTOs with hostile field values, or raw text. */
const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.record({ amount: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null)) }, { requiredKeys: [] }),
  fc.record({ owner: fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.object()) }, { requiredKeys: [] }),
  fc.record({ from: fc.string(), to: fc.uuid(), amount: fc.integer() }, { requiredKeys: [] }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Path segments: real ids, upper-cased ids, random uuids, and arbitrary (percent-encoded) text. */
const pathId = (known: string) =>
  fc.oneof(fc.constant(known), fc.constant(known.toUpperCase()), fc.uuid(), fc.string({ unit: 'binary', maxLength: 80 }).map(encodeURIComponent));

const header = fc.oneof(
  fc.record({ 'If-Match': fc.string({ maxLength: 50 }).filter(isHeaderSafe) }),
  fc.record({ 'Idempotency-Key': fc.string({ maxLength: 80 }).filter(isHeaderSafe) }),
  fc.record({ 'X-Strata-Position': fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => n.toString(16).padStart(16, '0')), fc.string({ maxLength: 40 }).filter(isHeaderSafe)) }),
  fc.record({ 'X-Correlation-Id': fc.string({ maxLength: 200 }).filter(isHeaderSafe) }),
  fc.record({ 'content-type': fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data') }),
  fc.constant({}),
);

/** Header values must be sendable at all: visible ASCII and spaces, no control characters. */
function isHeaderSafe(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

describe('hostile input on every endpoint, generated', () => {
  let bank: BankTestApp;
  let account: string;

  beforeAll(async () => {
    bank = await BankTestApp.start();
    account = await bank.openAccount('ada');
    await bank.deposit(account, 1_000);
  });

  afterAll(() => bank.stop());

  /** Events appended by commands sent over HTTP (a saga's commands have a causation of their own). */
  async function directEvents(): Promise<number> {
    const page = await bank.store.readAll({ maxCount: 100_000 });
    return page.events.filter((event) => event.metadata.causationId === event.metadata.commandId).length;
  }

  it('answers every generated request well-formed, and changes the log only through accepted commands', async () => {
    const request = fc.oneof(
      fc.record({
        method: fc.constant<Method>('POST'),
        url: fc.tuple(pathId(account), fc.constantFrom('deposits', 'withdrawals', 'close')).map(([id, action]) => `/accounts/${id}/${action}`),
        body,
        headers: header,
      }),
      fc.record({ method: fc.constant<Method>('POST'), url: fc.constantFrom('/accounts', '/transfers'), body, headers: header }),
      fc.record({
        method: fc.constant<Method>('GET'),
        url: fc.oneof(
          pathId(account).map((id) => `/accounts/${id}`),
          pathId(account).map((id) => `/transfers/${id}`),
          fc.tuple(pathId(account), fc.string({ maxLength: 30 })).map(([id, limit]) => `/accounts/${id}/transactions?limit=${encodeURIComponent(limit)}`),
          fc.dictionary(fc.constantFrom('owner', 'status', 'limit', 'cursor', 'x'), fc.string({ maxLength: 30 })).map((query) => `/accounts?${new URLSearchParams(query).toString()}`),
        ),
        headers: header,
      }),
    );
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        tried += 1;
        const before = await directEvents();
        const reply = await bank.request({ method: generated.method, url: generated.url, headers: generated.headers, ...('body' in generated ? { body: generated.body } : {}) });
        const problem = malformed(reply);
        if (problem !== null) throw new Error(`${generated.method} ${generated.url}: ${problem}`);
        const grew = (await directEvents()) - before;
        // A refused request appends nothing; an accepted command at most its one event (none when repeated).
        if (grew !== 0 && !(reply.status < 300 && generated.method === 'POST' && grew === 1)) {
          throw new Error(`${generated.method} ${generated.url}: ${reply.status} but the log grew by ${grew}`);
        }
      }),
      { numRuns: RUNS },
    );
    expect(tried).toBeGreaterThanOrEqual(RUNS);
  }, 120_000);
});
