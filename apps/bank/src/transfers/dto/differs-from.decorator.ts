import { buildMessage, ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** The value differs from the sibling property `other` (compared after any transforms). */
export function DiffersFrom(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'differsFrom',
      constraints: [other],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => value !== (args?.object as Record<string, unknown> | undefined)?.[other],
        defaultMessage: buildMessage((each) => `${each}$property must differ from $constraint1`, options),
      },
    },
    options,
  );
}
