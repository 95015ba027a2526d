import { ValidationPipe } from '@nestjs/common';
import { validationExceptionFactory } from './request-validation-error';

/**
 * The validation every Strata app runs on bodies, queries and parameters: unknown properties and
 * query parameters are refused, values are transformed to their DTO types, and each failure is a
 * 400 listing its fields. `StrataModule.forRoot` registers it app-wide.
 */
export function strataValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One error per field: the first of its checks to fail, innermost decorator first, so a
    // string amount is "must be an integer", not also "must not be less than 1".
    stopAtFirstError: true,
    exceptionFactory: validationExceptionFactory,
  });
}
