import type { ValidationError } from '@nestjs/common';
import { StrataError } from '../errors/strata-error';

/** One rejected input: a body property (dotted path), a path parameter, or a header name. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** A request whose body, parameters or headers are invalid (HTTP 400, listing each field). */
export class RequestValidationError extends StrataError {
  constructor(
    readonly errors: readonly FieldError[],
    code = 'VALIDATION_FAILED',
  ) {
    super(code, `The request is invalid: ${errors.map((e) => e.message).join('; ')}. Correct the fields listed in 'errors'.`);
  }
}

/** Flattens class-validator errors, nested ones included, into one entry per failed constraint. */
export function fieldErrorsOf(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

/** The `ValidationPipe` exceptionFactory that turns failures into a `RequestValidationError`. */
export function validationExceptionFactory(errors: ValidationError[]): RequestValidationError {
  return new RequestValidationError(fieldErrorsOf(errors));
}
