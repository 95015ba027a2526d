import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RecordedEvent } from '@strata/core';
import { StrataTestApp, type Reply, type TestStore } from '@strata/testing';
import { AppModule } from '../src/app.module';
import { BANK_APP, type BankAppOptions } from '../src/bank-app';
import type { TransferView } from '../src/transfers/queries/transfer.view';

export { expectProblem, aString, aUuid, fieldsOf, type Reply, type RequestSpec } from '@strata/testing';
export type { ProblemDetails as ProblemBody } from '@strata/core';

/** The bank app as production builds it (same factory, same HTTP setup), on the in-memory store, with the bank's own request helpers. */
export class BankTestApp extends StrataTestApp {
  private constructor(app: NestFastifyApplication, dataDir: string | undefined) {
    super(app, dataDir);
  }

  static async start(options: BankAppOptions & { readonly store?: TestStore } = {}): Promise<BankTestApp> {
    const { strata, logger, extraModules, store } = options;
    const { app, dataDir } = await StrataTestApp.build((chosen) => AppModule.forRoot({ strata: { ...chosen, ...strata } }), {
      ...BANK_APP,
      env: strata?.env ?? process.env,
      ...(store && { store }),
      ...(logger && { logger }),
      ...(extraModules && { imports: extraModules }),
    });
    return new BankTestApp(app, dataDir);
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
}

/** A transfer as `GET /transfers/{id}` answers it. */
export type TransferBody = TransferView;
