import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureStrataHttp, createStrataFastifyAdapter, registerSecurityHeaders, setupOpenApi, STRATA_APP_OPTIONS } from '@strata/core';
import { Logger } from 'nestjs-pino';
import { AppModule, type BankOptions } from './app.module';

/** Creates the configured bank app, not yet listening: `main.ts` and the e2e tests share it. */
export async function createBankApp(options: BankOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), createStrataFastifyAdapter(), {
    ...STRATA_APP_OPTIONS,
    // Let start-up errors (such as invalid configuration) reach the caller instead of aborting.
    abortOnError: false,
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
