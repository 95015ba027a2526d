import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadModels } from '@strata/core';
import { ACCOUNTS_COLLECTION, type AccountDocument } from '../projections/account.document';
import { accountNotFound } from './account-not-found';
import { toAccountView, type AccountView } from './account.view';
import { GetAccountQuery } from './get-account.query';

/** Answers `GetAccountQuery`; an account the read model does not hold is a 404. */
@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery, AccountView> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ accountId, viewer }: GetAccountQuery): Promise<AccountView> {
    const account = await this.readModels.collection<AccountDocument>(ACCOUNTS_COLLECTION).findOne({ _id: accountId });
    // Someone else's account is answered as a missing one, so its existence stays private.
    if (!account || (viewer !== undefined && account.owner !== viewer)) throw accountNotFound(accountId);
    return toAccountView(account);
  }
}
