import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { shutDownGracefully } from './graceful-shutdown';
import type { ShutdownSettings } from './shutdown-settings';

/**
 * SIGTERM/SIGINT: readiness false, stop accepting, finish requests in flight, stop projections
 * and sagas at a committed checkpoint, close the stores, exit 0; exit 1 when that overran
 * `timeoutMs` or failed. Nest's own enableShutdownHooks re-raises the signal instead, which
 * orchestrators read as a crash. `name` prefixes the failure lines.
 */
export function exitOnShutdownSignals(app: INestApplication, shutdown: ShutdownSettings, name: string): void {
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
          process.stderr.write(`${name} did not stop within STRATA_SHUTDOWN_TIMEOUT_MS (${shutdown.timeoutMs} ms); exiting anyway\n`);
          process.exit(1);
        },
        (error: unknown) => {
          process.stderr.write(`${name} failed to stop cleanly: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}
