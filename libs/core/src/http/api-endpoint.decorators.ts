import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblems } from './api-problems.decorator';

/** Documents the headers every command takes and the errors any command may answer. */
export function ApiCommandEndpoint(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 visible ASCII characters; a repeat answers the first response without appending.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'A revision in quotes, as ETag gave it ("3"), or *: 412 when stale.' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Echoed (generated when absent) and recorded in event metadata.' }),
    ApiProblems(400, 401, 409, 412, 413, 415, 422, 429),
  );
}

/** Documents the read-your-writes header and the errors any query may answer. */
export function ApiQueryEndpoint(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({ name: 'X-Strata-Position', required: false, description: "A command's position: answer only once the read model has reached it." }),
    ApiProblems(400, 401, 429, 503),
  );
}
