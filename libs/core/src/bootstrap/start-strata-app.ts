import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createStrataApp } from './create-strata-app';
import { listenFailure, listenOptionsFrom } from './listen-options';
import type { AppModuleRef, StrataAppOptions } from './strata-app-options';

/** How `startStrataApp` starts an app: `createStrataApp`'s options, and a hook before it listens. */
export interface StartStrataAppOptions extends StrataAppOptions {
  /** Called with the created app before it listens: to install signal handlers, say. */
  readonly beforeListen?: (app: NestFastifyApplication) => void;
}

/**
 * Creates the app and listens where `PORT` and `HOST` say, both read before anything starts.
 * Throws a `ConfigurationError` naming PORT or HOST when the address cannot be had, after
 * stopping what had started (projections and sagas at a checkpoint).
 */
export async function startStrataApp(module: AppModuleRef, options: StartStrataAppOptions = {}): Promise<NestFastifyApplication> {
  const listen = listenOptionsFrom(options.env ?? process.env);
  const app = await createStrataApp(module, options);
  options.beforeListen?.(app);
  try {
    await app.listen(listen);
  } catch (error) {
    await app.close();
    throw listenFailure(error, listen) ?? error;
  }
  return app;
}
