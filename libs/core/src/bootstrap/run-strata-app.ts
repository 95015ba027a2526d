import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { StrataError } from '../errors/strata-error';
import { exitOnShutdownSignals } from '../lifecycle/shutdown-signals';
import { shutdownSettingsFrom } from '../lifecycle/shutdown-settings';
import { startStrataApp } from './start-strata-app';
import type { AppModuleRef, StrataAppOptions } from './strata-app-options';

/**
 * Runs a Strata app as `main.ts` does: checks its settings before anything starts, starts it,
 * listens on `PORT`/`HOST`, and shuts down gracefully on SIGTERM/SIGINT (exit 0, or 1 when the
 * shutdown overran `STRATA_SHUTDOWN_TIMEOUT_MS`). A start failure is one line on stderr,
 * `<name> failed to start: <reason>`, and exit 1. Never rejects.
 */
export async function runStrataApp(module: AppModuleRef, options: StrataAppOptions = {}): Promise<NestFastifyApplication> {
  const name = options.name ?? 'app';
  try {
    // Every setting is read before anything starts, so a mistake stops the start with its name.
    const shutdown = shutdownSettingsFrom(options.env ?? process.env);
    return await startStrataApp(module, { ...options, beforeListen: (app) => exitOnShutdownSignals(app, shutdown, name) });
  } catch (error) {
    // A configuration mistake is one actionable line; anything else keeps its stack for diagnosis.
    const message = StrataError.isStrataError(error) ? error.message : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`${name} failed to start: ${message}\n`);
    // Exit now: a store opened before the failure (a MongoDB client, say) would keep the process
    // alive. Nothing was acknowledged yet, so nothing is lost.
    process.exit(1);
  }
}
