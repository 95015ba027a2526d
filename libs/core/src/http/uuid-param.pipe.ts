import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { RequestValidationError } from './request-validation-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a path parameter as a UUID (400 naming the parameter otherwise) and lower-cases it. */
@Injectable()
export class UuidParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw new RequestValidationError([{ field, message: `${field} must be a UUID, such as one a create returned` }]);
    }
    // Streams are named by the id, so one spelling per id keeps 'ABC…' and 'abc…' the same entity.
    return value.toLowerCase();
  }
}
