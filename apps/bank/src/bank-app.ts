import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createStrataApp, startStrataApp, type AppModuleRef, type StrataAppOptions, type StrataLoggerOptions } from '@strata/core';
import { AppModule, type BankOptions } from './app.module';

/** What is the bank's own in how it is run: its name and what its OpenAPI document says. */
export const BANK_APP: StrataAppOptions = {
  name: 'bank',
  openApi: {
    title: 'Strata bank',
    version: '1',
    description: 'The example service of Strata. Every error is application/problem+json (RFC 9457).',
  },
};

/** What a harness may add to the bank app; production adds nothing. */
export interface BankAppOptions extends BankOptions {
  readonly logger?: Omit<StrataLoggerOptions, 'env'>;
  /** Modules mounted next to the bank's, under the same global pipe, filters, guards and logger: a benchmark's baseline endpoint, say. */
  readonly extraModules?: readonly AppModuleRef[];
}

function appOptions({ logger, extraModules, strata }: BankAppOptions): StrataAppOptions {
  return { ...BANK_APP, ...(strata?.env && { env: strata.env }), ...(logger && { logger }), ...(extraModules && { imports: extraModules }) };
}

/** The bank app, not yet listening, as `main.ts` builds it: for the e2e tests and the benchmarks. */
export function createBankApp(options: BankAppOptions = {}): Promise<NestFastifyApplication> {
  return createStrataApp(AppModule.forRoot(options), appOptions(options));
}

/** The bank app listening where `PORT` and `HOST` say: for the benchmarks. */
export function startBankApp(options: BankAppOptions = {}): Promise<NestFastifyApplication> {
  return startStrataApp(AppModule.forRoot(options), appOptions(options));
}
