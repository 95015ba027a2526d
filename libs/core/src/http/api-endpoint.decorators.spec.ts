import 'reflect-metadata';
import { ApiCommandEndpoint, ApiQueryEndpoint } from './api-endpoint.decorators';

// @nestjs/swagger's metadata keys; its package exports do not reach its constants module.
const DECORATORS = { API_HEADERS: 'swagger/apiHeaders', API_PARAMETERS: 'swagger/apiParameters', API_RESPONSE: 'swagger/apiResponse' } as const;

class Endpoints {
  @ApiCommandEndpoint()
  command(): void {}

  @ApiQueryEndpoint()
  query(): void {}
}

// A header on a method is kept as a parameter `in: 'header'` (or, by older versions, as a header).
const headersOf = (method: () => void): string[] =>
  [
    ...((Reflect.getMetadata(DECORATORS.API_HEADERS, method) as { name: string }[] | undefined) ?? []),
    ...((Reflect.getMetadata(DECORATORS.API_PARAMETERS, method) as { name: string; in?: string }[] | undefined) ?? []).filter((parameter) => parameter.in === 'header'),
  ]
    .map((header) => header.name)
    .sort();
const statusesOf = (method: () => void): string[] => Object.keys((Reflect.getMetadata(DECORATORS.API_RESPONSE, method) as object | undefined) ?? {}).sort();

describe('the OpenAPI endpoint decorators', () => {
  it('document the headers a command takes and the problems it may answer', () => {
    expect(headersOf(Endpoints.prototype.command)).toEqual(['Idempotency-Key', 'If-Match', 'X-Correlation-Id']);
    expect(statusesOf(Endpoints.prototype.command)).toEqual(['400', '401', '409', '412', '413', '415', '422', '429']);
  });

  it('document the read-your-writes header and the problems a query may answer', () => {
    expect(headersOf(Endpoints.prototype.query)).toEqual(['X-Strata-Position']);
    expect(statusesOf(Endpoints.prototype.query)).toEqual(['400', '401', '429', '503']);
  });
});
