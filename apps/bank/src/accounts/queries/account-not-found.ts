import { AccountNotFoundError } from '../account.errors';

/** A query's 404: read models lag behind commands, so the advice is to wait for the write. */
export function accountNotFound(accountId: string): AccountNotFoundError {
  return new AccountNotFoundError(
    accountId,
    "If it was just opened, send the command's 'position' as the X-Strata-Position header to wait for it.",
  );
}
