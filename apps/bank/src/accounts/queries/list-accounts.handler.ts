import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadModels, type Filter, pageOf, type Page } from '@strata/core';
import { ACCOUNTS_COLLECTION, type AccountDocument } from '../projections/account.document';
import { toAccountView, type AccountView } from './account.view';
import { ListAccountsQuery } from './list-accounts.query';

/** Answers `ListAccountsQuery` by keyset paging on `_id`, which the projection's indexes cover. */
@QueryHandler(ListAccountsQuery)
export class ListAccountsHandler implements IQueryHandler<ListAccountsQuery, Page<AccountView>> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ filter, page }: ListAccountsQuery): Promise<Page<AccountView>> {
    // A caller asking for someone else's accounts sees none, exactly as for an owner with none.
    if (filter.viewer !== undefined && filter.owner !== undefined && filter.owner !== filter.viewer) return { items: [], next: null };
    const query: Filter<AccountDocument> = {
      ...((filter.viewer ?? filter.owner) !== undefined && { owner: filter.viewer ?? filter.owner }),
      ...(filter.status !== undefined && { status: filter.status }),
      ...(page.after !== undefined && { _id: { $gt: page.after } }),
    };
    const accounts = await this.readModels
      .collection<AccountDocument>(ACCOUNTS_COLLECTION)
      .find(query, { sort: { _id: 1 }, limit: page.limit + 1 });
    return pageOf(accounts, page.limit, (account) => account._id, toAccountView);
  }
}
