import type { NestFastifyApplication } from '@nestjs/platform-fastify';
// helmet itself, the package @fastify/helmet wraps: the plugin rebuilds helmet's middleware (and
// re-parses the CSP) on every request, while these headers never vary, so the middleware is
// built once here and run from one hook.
import helmet, { type HelmetOptions } from 'helmet';

/** What Strata sends: helmet's defaults, with the CSP loosened only as far as the Swagger UI at /docs needs (its inline styles and data: images). */
const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = Object.freeze({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: [`'self'`],
      styleSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:'],
      scriptSrc: [`'self'`],
      // Over plain HTTP (behind a TLS-terminating proxy, or locally) it would break /docs' assets.
      upgradeInsecureRequests: null,
    },
  },
});

let computed: Readonly<Record<string, string>> | undefined;

/**
 * The security headers as name/value pairs, for answers written straight to a socket before
 * Fastify has a request (bad framing, timeouts, connection caps): helmet run once against a
 * response that only records what it is given.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  if (computed !== undefined) return computed;
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => (headers[name] = String(value)),
    removeHeader: () => undefined,
  };
  helmet(SECURITY_HEADER_OPTIONS)({} as never, recorder as never, () => undefined);
  computed = Object.freeze(headers);
  return computed;
}

/** Sets helmet's security headers on every response, errors and unknown routes included. */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  const setHeaders = helmet(SECURITY_HEADER_OPTIONS);
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)),
  );
}
