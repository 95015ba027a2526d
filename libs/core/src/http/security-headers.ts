import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Registers helmet's security headers for every response. The CSP is helmet's, loosened only
 * as far as the Swagger UI at /docs needs (its inline styles and data: images).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
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
}
