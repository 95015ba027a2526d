import { RequestValidationError, type Principal } from '@strata/core';
import { OwnerMismatchError } from './account.errors';
import { OWNER_MAX_LENGTH, type OpenAccountDto } from './dto/open-account.dto';

/** Who a new account belongs to: the token subject with auth on, else the `owner` the body names. */
export function accountOwner(body: OpenAccountDto, principal: Principal | undefined): string {
  if (principal !== undefined) {
    if (body.owner !== undefined && body.owner !== principal.subject) throw new OwnerMismatchError(body.owner, principal.subject);
    // A subject may be up to 255 characters; an owner, from wherever it comes, only 100.
    if (principal.subject.length > OWNER_MAX_LENGTH) {
      throw new RequestValidationError([
        {
          field: 'owner',
          message: `owner is the token subject, which is ${principal.subject.length} characters; an owner must be 1 to ${OWNER_MAX_LENGTH}. Use an identity with a shorter subject.`,
        },
      ]);
    }
    return principal.subject;
  }
  if (body.owner === undefined) {
    throw new RequestValidationError([{ field: 'owner', message: `owner must be a string of 1 to ${OWNER_MAX_LENGTH} characters (required while auth is off)` }]);
  }
  return body.owner;
}
