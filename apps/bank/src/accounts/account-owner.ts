import { RequestValidationError, type Principal } from '@strata/core';
import { OwnerMismatchError } from './account.errors';
import type { OpenAccountDto } from './dto/open-account.dto';

/** Who a new account belongs to: the token subject with auth on, else the `owner` the body names. */
export function accountOwner(body: OpenAccountDto, principal: Principal | undefined): string {
  if (principal !== undefined) {
    if (body.owner !== undefined && body.owner !== principal.subject) throw new OwnerMismatchError(body.owner, principal.subject);
    return principal.subject;
  }
  if (body.owner === undefined) {
    throw new RequestValidationError([{ field: 'owner', message: 'owner must be a string of 1 to 100 characters (required while auth is off)' }]);
  }
  return body.owner;
}
