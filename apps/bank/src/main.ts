import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { shutDownGracefully, shutdownSettingsFrom, StrataError, type ShutdownSettings } from '@strata/core';
import { Logger } from 'nestjs-pino';
import { startBankApp } from './bank-app';

async function bootstrap(): Promise<void> {
  // Every setting is read before anything starts, so a mistake stops the start with its name.
  const shutdown = shutdownSettingsFrom(process.env);
  await startBankApp({}, (app) => handleShutdownSignals(app, shutdown));
}

/**
 * SIGTERM/SIGINT: readiness false, stop accepting, finish requests in flight, stop projections
 * and sagas at a committed checkpoint, close the stores, exit 0. Nest's own
 * enableShutdownHooks re-raises the signal instead, which orchestrators read as a crash.
 */
function handleShutdownSignals(app: NestFastifyApplication, shutdown: ShutdownSettings): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const logger = app.get(Logger);
      const say = (line: string): void => logger.log(line, 'Shutdown');
      say(`${signal} received: shutting down gracefully (at most ${shutdown.timeoutMs} ms)`);
      shutDownGracefully(app, shutdown, say).then(
        (outcome) => {
          if (outcome === 'clean') {
            process.exitCode = 0;
            return;
          }
          process.stderr.write(`bank did not stop within STRATA_SHUTDOWN_TIMEOUT_MS (${shutdown.timeoutMs} ms); exiting anyway\n`);
          process.exit(1);
        },
        (error: unknown) => {
          process.stderr.write(`bank failed to stop cleanly: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}

bootstrap().catch((error: unknown) => {
  // A configuration mistake is one actionable line; anything else keeps its stack for diagnosis.
  const message = StrataError.isStrataError(error) ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`bank failed to start: ${message}\n`);
  // Exit now: a store opened before the failure (a MongoDB client, say) would keep the process
  // alive. Nothing was acknowledged yet, so nothing is lost.
  process.exit(1);
});
