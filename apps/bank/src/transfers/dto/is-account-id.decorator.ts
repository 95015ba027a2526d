import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The value is an account id: a UUID, lower-cased first, since streams are named by the id
 * and 'ABC…' must reach the same account as 'abc…' (as `UuidParamPipe` does for paths).
 */
export function IsAccountId(options?: ValidationOptions): PropertyDecorator {
  return (target, property) => {
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))(target, property);
    ValidateBy(
      {
        name: 'isAccountId',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && UUID.test(value),
          defaultMessage: buildMessage((each) => `${each}$property must be an account id (a UUID), such as POST /accounts returned`, options),
        },
      },
      options,
    )(target, property);
  };
}
