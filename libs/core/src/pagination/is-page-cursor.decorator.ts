import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { decodeCursor } from './page-cursor';

/** The value is a cursor `encodeCursor` made for a key matching `pattern`, e.g. a page's `next`. */
export function IsPageCursor(pattern: RegExp, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPageCursor',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && decodeCursor(value, pattern) !== undefined,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be the 'next' of a page this endpoint returned; leave it out for the first page`,
          options,
        ),
      },
    },
    options,
  );
}
