import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore, PROBLEM_CONTENT_TYPE, StreamNotFoundError, type ProblemDetails, type RecordedEvent } from '@strata/core';
import type { InjectOptions } from 'fastify';
import type { BankAppOptions } from '../src/bank-app';
import { createBankApp } from '../src/bank-app';
import type { TransferView } from '../src/transfers/queries/transfer.view';

/** One HTTP exchange, as a test sees it. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestSpec {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  /** An object is sent as JSON; a string is sent as it is, with whatever content type is given. */
  readonly body?: object | string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The bank app as production builds it (same factory, same HTTP setup), on the in-memory store. */
export class BankTestApp {
  private constructor(readonly app: NestFastifyApplication) {}

  static async start(options: BankAppOptions = {}): Promise<BankTestApp> {
    const app = await createBankApp({
      ...options,
      strata: { eventStore: 'memory', ...options.strata },
      logger: options.logger ?? { level: 'silent' },
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new BankTestApp(app);
  }

  /** Serves real HTTP on a free loopback port, for tests that need sockets; returns the base URL. */
  async listen(): Promise<string> {
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this.app.getUrl();
  }

  /** The event store the app writes to, taken from the app itself. */
  get store(): EventStore {
    return this.app.get(EventStore);
  }

  async request(spec: RequestSpec): Promise<Reply> {
    const headers: Record<string, string> = { ...spec.headers };
    const options: InjectOptions = { method: spec.method ?? 'POST', url: spec.url, headers };
    if (typeof spec.body === 'string') {
      options.payload = spec.body;
    } else if (spec.body !== undefined) {
      options.payload = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await this.app.inject(options);
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      json: <T>() => JSON.parse(response.body) as T,
    };
  }

  /** A GET; with `position`, sent as `X-Strata-Position`, it reads its writes up to that position. */
  async get(url: string, position?: string): Promise<Reply> {
    return this.request({ method: 'GET', url, ...(position === undefined ? {} : { headers: { 'X-Strata-Position': position } }) });
  }

  /** Opens an account and returns its id; a null owner sends none (with auth on, the token subject owns it). */
  async openAccount(owner: string | null = 'Ada Lovelace', headers?: Record<string, string>): Promise<string> {
    const reply = await this.request({ url: '/accounts', body: owner === null ? {} : { owner }, ...(headers ? { headers } : {}) });
    expect(reply.status).toBe(201);
    return reply.json<{ id: string }>().id;
  }

  async deposit(id: string, amount: number, headers?: Record<string, string>): Promise<Reply> {
    return this.request({ url: `/accounts/${id}/deposits`, body: { amount }, ...(headers ? { headers } : {}) });
  }

  async withdraw(id: string, amount: number, headers?: Record<string, string>): Promise<Reply> {
    return this.request({ url: `/accounts/${id}/withdrawals`, body: { amount }, ...(headers ? { headers } : {}) });
  }

  async close(id: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request({ url: `/accounts/${id}/close`, ...(headers ? { headers } : {}) });
  }

  async transfer(from: string, to: string, amount: number, headers?: Record<string, string>): Promise<Reply> {
    return this.request({ url: '/transfers', body: { from, to, amount }, ...(headers ? { headers } : {}) });
  }

  /**
   * The transfer once it is no longer pending: the saga settles it after the request returned,
   * so the first read waits for the request's position and later ones poll, for up to `timeoutMs`.
   */
  async settledTransfer(id: string, position: string, timeoutMs = 10_000): Promise<TransferBody> {
    const until = Date.now() + timeoutMs;
    for (let reply = await this.get(`/transfers/${id}`, position); ; reply = await this.get(`/transfers/${id}`)) {
      expect(reply.status).toBe(200);
      const transfer = reply.json<TransferBody>();
      if (transfer.status !== 'pending') return transfer;
      if (Date.now() > until) throw new Error(`transfer ${id} still pending after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Every event of an account's stream, read through the app's event store; [] when none. */
  async eventsOf(accountId: string): Promise<RecordedEvent[]> {
    return this.streamEvents(`Account-${accountId}`);
  }

  /** Every event of a stream, read through the app's event store; [] when none. */
  async streamEvents(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(streamId)) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}

/** A transfer as `GET /transfers/{id}` answers it. */
export type TransferBody = TransferView;

const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']);

/** Asserts an RFC 9457 problem with this status (and code), and no trace of a stack; returns it. */
export function expectProblem(reply: Reply, status: number, code?: string): ProblemBody {
  expect(reply.status).toBe(status);
  expect(String(reply.headers['content-type'])).toMatch(new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}\\b`));
  const problem = reply.json<ProblemBody>();
  expect(Object.keys(problem).filter((key) => !PROBLEM_KEYS.has(key))).toEqual([]);
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^urn:strata:problem:[a-z0-9-]+$/);
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  expect(reply.body).not.toMatch(/\bat .+\.(ts|js):\d+|stack/i);
  if (code !== undefined) {
    expect(problem.code).toBe(code);
    expect(problem.type).toBe(`urn:strata:problem:${code.toLowerCase().replace(/_/g, '-')}`);
  }
  return problem;
}

/** The problem document a test reads back: the shape core sends. */
export type ProblemBody = ProblemDetails;

/** Matches any string (positions are opaque); typed `unknown` so it is no `any` in a literal. */
export function aString(): unknown {
  return expect.any(String);
}

/** Matches a lower-case UUID. */
export function aUuid(): unknown {
  return expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
}

/** The fields a 400 names. */
export function fieldsOf(problem: ProblemBody): string[] {
  return [...new Set((problem.errors ?? []).map((error) => error.field))];
}
