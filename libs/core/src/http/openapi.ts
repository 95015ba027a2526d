import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AuthSettings } from '../auth/auth-settings';
import { AUTH_SETTINGS, JWT_VERIFIER } from '../auth/jwt-auth.guard';
import type { JwtVerifier } from '../auth/jwt-verifier';
import { setPrincipal } from '../auth/principal';

/** What the OpenAPI document says about the service. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** Where the Swagger UI is served; the JSON document is at `/docs/json`. */
export const OPENAPI_PATH = 'docs';

/**
 * Builds the OpenAPI document from the app's controllers and DTOs, and serves it at `/docs`.
 * With auth on (`StrataAuthModule`), the UI and documents need a bearer token like every other
 * route, unless `STRATA_DOCS_PUBLIC=true`: an API's map is worth hiding from whoever may not call it.
 */
export function setupOpenApi(app: NestFastifyApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setVersion(info.version)
    .setDescription(info.description ?? '')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Required on every route but /health and /metrics when STRATA_AUTH=jwt.' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  guardDocs(app);
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_PATH}/json`, yamlDocumentUrl: `${OPENAPI_PATH}/yaml` });
  return document;
}

/** Swagger's routes are Fastify's, out of reach of Nest's guards: a hook checks their token instead. */
function guardDocs(app: NestFastifyApplication): void {
  const settings = optional<AuthSettings>(app, AUTH_SETTINGS);
  const verifier = optional<JwtVerifier | null>(app, JWT_VERIFIER);
  if (settings?.mode !== 'jwt' || settings.docsPublic || verifier == null) return;
  const prefix = `/${OPENAPI_PATH}`;
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return;
    const header = request.headers.authorization;
    // A refusal propagates to Nest's error handling: 401 problem+json with WWW-Authenticate.
    setPrincipal(request.raw, await verifier.verify(Array.isArray(header) ? header.join(', ') : header));
  });
}

function optional<T>(app: NestFastifyApplication, token: symbol): T | undefined {
  try {
    return app.get<T>(token, { strict: false });
  } catch {
    // Not registered: the app runs without StrataAuthModule, so nothing is behind a token.
    return undefined;
  }
}
