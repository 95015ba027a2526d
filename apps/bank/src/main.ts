import { StrataError } from '@strata/core';
import { createBankApp } from './bank-app';
import { listenOptionsFrom } from './bank-config';

async function bootstrap(): Promise<void> {
  const listen = listenOptionsFrom(process.env);
  const app = await createBankApp();
  // SIGTERM/SIGINT close the server, then the stores (Nest's shutdown hooks run in close()),
  // and the process exits 0. Nest's own enableShutdownHooks re-raises the signal instead,
  // which orchestrators would read as a crash.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => (process.exitCode = 0),
        (error: unknown) => {
          process.stderr.write(`bank failed to stop cleanly: ${String(error)}\n`);
          process.exitCode = 1;
        },
      );
    });
  }
  await app.listen(listen);
}

bootstrap().catch((error: unknown) => {
  // A configuration mistake is one actionable line; anything else keeps its stack for diagnosis.
  const message = StrataError.isStrataError(error) ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`bank failed to start: ${message}\n`);
  process.exitCode = 1;
});
