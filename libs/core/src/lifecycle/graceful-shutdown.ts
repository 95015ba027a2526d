import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { Draining } from './draining';
import type { ShutdownSettings } from './shutdown-settings';

/** How a graceful shutdown ended. */
export type ShutdownOutcome = 'clean' | 'timed-out';

/** How often idle keep-alive connections are closed while in-flight requests finish. */
const SWEEP_MS = 50;

/**
 * Shuts an app down in order: readiness turns false (and stays so for `delayMs`); the listener
 * closes, so no new request is taken, while requests in flight, commands among them, finish;
 * then `app.close()` stops projections and sagas at a committed checkpoint and closes the
 * stores. Resolves `timed-out` if that takes longer than `timeoutMs`.
 */
export async function shutDownGracefully(app: INestApplication, settings: ShutdownSettings, log: (line: string) => void = () => undefined): Promise<ShutdownOutcome> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), settings.timeoutMs);
  });
  const sequence = (async (): Promise<'clean'> => {
    app.get(Draining, { strict: false }).begin();
    log(`draining: readiness is false${settings.delayMs > 0 ? `, still serving for ${settings.delayMs} ms` : ''}`);
    if (settings.delayMs > 0) await sleep(settings.delayMs);
    await closeListener(app);
    log(`stopped accepting requests; those in flight finished after ${Date.now() - started} ms`);
    // Nest's shutdown hooks: runners commit and release their leases, then the stores close.
    await app.close();
    log(`projections and sagas stopped at committed checkpoints and the stores closed after ${Date.now() - started} ms`);
    return 'clean';
  })();
  try {
    return await Promise.race([sequence, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes the HTTP listener and waits for in-flight requests. Keep-alive connections that go
 * idle are closed as they do, since the server would otherwise wait for clients to hang up.
 */
async function closeListener(app: INestApplication): Promise<void> {
  const server = app.getHttpServer() as Server;
  const sweeper = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  try {
    await app.getHttpAdapter().close();
  } finally {
    clearInterval(sweeper);
  }
}
