import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** What the OpenAPI document says about the service. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** Where the Swagger UI is served; the JSON document is at `/docs/json`. */
export const OPENAPI_PATH = 'docs';

/** Builds the OpenAPI document from the app's controllers and DTOs, and serves it at `/docs`. */
export function setupOpenApi(app: NestFastifyApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setVersion(info.version)
    .setDescription(info.description ?? '')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Required on every route but /health and /metrics when STRATA_AUTH=jwt.' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_PATH}/json`, yamlDocumentUrl: `${OPENAPI_PATH}/yaml` });
  return document;
}
