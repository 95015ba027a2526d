import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { ProblemDetailsDto } from './problem-details.dto';

/** What each error status means in the bank's API, where a bare reason phrase says too little. */
const MEANING: Readonly<Record<number, string>> = {
  400: 'Invalid body, path, query or header; `errors` names each field.',
  401: 'No bearer token, or one that is expired, badly signed, or for another issuer or audience.',
  404: 'No such resource (or one the caller does not own).',
  409: 'A concurrent write won every retry.',
  412: 'If-Match names a revision that is no longer current.',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json.',
  422: 'A business rule refused the command; `code` says which.',
  429: 'Too many requests from this client; see Retry-After.',
  503: 'Waiting for X-Strata-Position took too long; retry shortly.',
};

/** Documents error answers as `application/problem+json` (`ProblemDetailsDto`) for OpenAPI. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: MEANING[status] ?? STATUS_CODES[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
