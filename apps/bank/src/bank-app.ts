import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureStrataHttp, createStrataFastifyAdapter, httpLimitsFrom, registerSecurityHeaders, setupOpenApi, STRATA_APP_OPTIONS } from '@strata/core';
import { Logger } from 'nestjs-pino';
import { AppModule, type BankOptions } from './app.module';
import { listenFailure, listenOptionsFrom } from './bank-config';

/** What a harness may add to the app `createBankApp` builds; production adds nothing. */
export interface BankAppOptions extends BankOptions {
  /**
   * Modules mounted next to the bank's, under the same global pipe, filters, guards and logger:
   * a benchmark's baseline endpoint, say. Never set by `main.ts`.
   */
  readonly extraModules?: readonly (Type | DynamicModule)[];
}

/** The root that mounts the bank next to a harness's extra modules. */
@Module({})
class BankWithExtrasModule {}

/** Creates the configured bank app, not yet listening: `main.ts`, the e2e tests and the benchmarks share it. */
export async function createBankApp(options: BankAppOptions = {}): Promise<NestFastifyApplication> {
  const { extraModules = [], ...bank } = options;
  const root: DynamicModule =
    extraModules.length === 0 ? AppModule.forRoot(bank) : { module: BankWithExtrasModule, imports: [AppModule.forRoot(bank), ...extraModules] };
  const app = await NestFactory.create<NestFastifyApplication>(root, createStrataFastifyAdapter(httpLimitsFrom(bank.strata?.env ?? process.env)), {
    ...STRATA_APP_OPTIONS,
    // Let start-up errors (such as invalid configuration) reach the caller instead of aborting,
    // without flushing Nest's buffered start-up lines and a stack trace ahead of them: the
    // caller reports the error (main.ts in one line when it is a configuration mistake).
    abortOnError: false,
    autoFlushLogs: false,
  });
  app.useLogger(app.get(Logger));
  // Nest flushes an HTTP app's buffered logs only on listen; tests inject without listening,
  // and their logs (errors included) would stay in the buffer.
  app.flushLogs();
  configureStrataHttp(app);
  await registerSecurityHeaders(app);
  setupOpenApi(app, {
    title: 'Strata bank',
    version: '1',
    description: 'The example service of Strata. Every error is application/problem+json (RFC 9457).',
  });
  return app;
}

/**
 * Starts the bank as `npm start` does: reads where to listen (`PORT`, `HOST`) before anything
 * starts, creates the app, lets the caller hook into it (signal handlers), then listens.
 */
export async function startBankApp(options: BankAppOptions = {}, beforeListen?: (app: NestFastifyApplication) => void): Promise<NestFastifyApplication> {
  const listen = listenOptionsFrom(options.strata?.env ?? process.env);
  const app = await createBankApp(options);
  beforeListen?.(app);
  try {
    await app.listen(listen);
  } catch (error) {
    // Projections and sagas started with the app: stop them at a checkpoint before giving up.
    await app.close();
    throw listenFailure(error, listen) ?? error;
  }
  return app;
}
