import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpAnswer, HttpClient } from '@strata/testing';

/** The shape of a load run; the defaults are the issue's: 1,000 transfers among 20 accounts. */
export interface LoadShape {
  readonly accounts: number;
  /** How many of the accounts are closed before the load: transfers to and from them fail. */
  readonly closed: number;
  readonly transfers: number;
  /** Deposits and withdrawals sent straight to accounts, mixed in with the transfers. */
  readonly directOperations: number;
  readonly initialBalance: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly seed: number;
}

export const DEFAULT_LOAD: LoadShape = { accounts: 20, closed: 2, transfers: 1_000, directOperations: 100, initialBalance: 5_000, concurrency: 100, seed: 42 };

/** What the load did, as the client saw it: the money it put in and took out directly, and every transfer. */
export interface LoadResult {
  readonly accounts: readonly string[];
  readonly transfers: readonly string[];
  readonly deposited: number;
  readonly withdrawn: number;
}

type Operation = () => Promise<void>;

/**
 * Opens and funds the accounts, then sends the transfers (some impossible: too large, from or
 * to a closed account, to an account that does not exist) and direct deposits and withdrawals,
 * shuffled, `concurrency` at a time. Every command carries an Idempotency-Key, so the client
 * may repeat any of them across a crash. `onAccepted` hears each accepted transfer.
 */
export async function runTransferLoad(client: HttpClient, shape: LoadShape = DEFAULT_LOAD, onAccepted: (count: number) => void = () => undefined): Promise<LoadResult> {
  const random = seededRandom(shape.seed);
  const key = (name: string) => ({ 'Idempotency-Key': `load-${shape.seed}-${name}` });
  const accounts = await Promise.all(Array.from({ length: shape.accounts }, (_, n) => openAccount(client, key(`open-${n}`))));
  const totals = { deposited: 0, withdrawn: 0 };
  const open = accounts.slice(shape.closed);
  for (const [n, id] of accounts.slice(0, shape.closed).entries()) expectStatus(await client.post(`/accounts/${id}/close`, {}, key(`close-${n}`)), [200]);
  await Promise.all(open.map(async (id, n) => expectStatus(await client.post(`/accounts/${id}/deposits`, { amount: shape.initialBalance }, key(`fund-${n}`)), [200])));
  totals.deposited += open.length * shape.initialBalance;

  const transfers: string[] = [];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const operations: Operation[] = Array.from({ length: shape.transfers }, (_, n) => {
    const from = pick(accounts);
    const to = random() < 0.05 ? uuidFrom(random) : pick(accounts.filter((id) => id !== from));
    const amount = 1 + Math.floor(random() * shape.initialBalance * 0.6);
    return async () => {
      const answer = await commandWithRetry(client, '/transfers', { from, to, amount }, key(`transfer-${n}`), [202]);
      transfers.push(answer.body['id'] as string);
      onAccepted(transfers.length);
    };
  });
  for (let n = 0; n < shape.directOperations; n++) {
    const account = pick(open);
    const amount = 1 + Math.floor(random() * shape.initialBalance * 0.4);
    const deposit = n % 2 === 0;
    operations.push(async () => {
      const answer = await commandWithRetry(client, `/accounts/${account}/${deposit ? 'deposits' : 'withdrawals'}`, { amount }, key(`direct-${n}`), [200, 422]);
      if (answer.status === 200) totals[deposit ? 'deposited' : 'withdrawn'] += amount;
    });
  }
  await inParallel(shuffled(operations, random), shape.concurrency);
  return { accounts, transfers, ...totals };
}

/** Polls `GET /transfers/{id}` until no transfer is pending (or unknown yet); returns each one's status. */
export async function waitUntilSettled(client: HttpClient, ids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  const until = Date.now() + timeoutMs;
  let pending = [...ids];
  while (pending.length > 0) {
    if (Date.now() > until) throw new Error(`${pending.length} of ${ids.length} transfers still pending after ${timeoutMs} ms, e.g. ${pending[0]}`);
    await inParallel(
      pending.map((id) => async () => {
        const answer = await client.get(`/transfers/${id}`);
        statuses.set(id, answer.status === 200 ? (answer.body['status'] as string) : `http-${answer.status}`);
      }),
      50,
    );
    pending = pending.filter((id) => statuses.get(id) === 'pending' || statuses.get(id) === 'http-404');
    if (pending.length > 0) await sleep(200);
  }
  return statuses;
}

async function openAccount(client: HttpClient, headers: Record<string, string>): Promise<string> {
  const answer = await commandWithRetry(client, '/accounts', { owner: 'load' }, headers, [201]);
  return answer.body['id'] as string;
}

// A conflict that outlived the handler's own retries is worth another try: the key makes it safe.
async function commandWithRetry(client: HttpClient, path: string, body: object, headers: Record<string, string>, expected: number[]): Promise<HttpAnswer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await client.post(path, body, headers);
    if (answer.status !== 409 || attempt >= 5) return expectStatus(answer, expected);
    await sleep(20 * attempt);
  }
}

function expectStatus(answer: HttpAnswer, expected: number[]): HttpAnswer {
  if (!expected.includes(answer.status)) throw new Error(`expected HTTP ${expected.join(' or ')}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

/** Runs the operations with at most `limit` in flight. */
async function inParallel(operations: readonly Operation[], limit: number): Promise<void> {
  const queue = [...operations];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next();
    }),
  );
}

// mulberry32: a seeded generator, so a failing run can be repeated exactly.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}
