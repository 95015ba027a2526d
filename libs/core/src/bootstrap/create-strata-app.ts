import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, LoggerModule } from 'nestjs-pino';
import { configureStrataHttp, createStrataFastifyAdapter, STRATA_APP_OPTIONS } from '../http/configure-strata-http';
import { httpLimitsFrom } from '../http/limits/http-limits';
import { setupOpenApi } from '../http/openapi';
import { registerSecurityHeaders } from '../http/security-headers';
import { strataLoggerParams } from '../http/strata-logger';
import type { AppModuleRef, StrataAppOptions } from './strata-app-options';

/** The root that mounts the app's module next to the logger and any extra modules. */
@Module({})
class StrataAppRoot {}

/**
 * Creates a Strata app from the app's module, configured but not listening: the Fastify adapter,
 * the pino logger, JSON-only bodies, security headers and OpenAPI at `/docs` (validation and
 * problem+json come with `StrataModule.forRoot`). For tests and embedding; `main.ts` calls
 * `runStrataApp`. The module must not import nestjs-pino's `LoggerModule` itself.
 */
export async function createStrataApp(module: AppModuleRef, options: StrataAppOptions = {}): Promise<NestFastifyApplication> {
  // Read before anything starts, so a bad LOG_LEVEL or LOG_FORMAT is one line naming it.
  const logger = LoggerModule.forRoot(strataLoggerParams({ ...options.logger, env: options.env ?? process.env }));
  const root = { module: StrataAppRoot, imports: [logger, module, ...(options.imports ?? [])] };
  const app = await NestFactory.create<NestFastifyApplication>(root, createStrataFastifyAdapter(httpLimitsFrom(options.env ?? process.env)), {
    ...STRATA_APP_OPTIONS,
    // Let start-up errors (such as invalid configuration) reach the caller instead of aborting,
    // without flushing Nest's buffered start-up lines and a stack trace ahead of them: the
    // caller reports the error (runStrataApp in one line when it is a configuration mistake).
    abortOnError: false,
    autoFlushLogs: false,
  });
  app.useLogger(app.get(Logger));
  // Nest flushes an HTTP app's buffered logs only on listen; tests inject without listening,
  // and their logs (errors included) would stay in the buffer.
  app.flushLogs();
  configureStrataHttp(app);
  await registerSecurityHeaders(app);
  if (options.openApi !== false) {
    const info = options.openApi ?? {};
    setupOpenApi(app, { title: info.title ?? options.name ?? 'API', version: info.version ?? '1', ...(info.description !== undefined && { description: info.description }) });
  }
  return app;
}
