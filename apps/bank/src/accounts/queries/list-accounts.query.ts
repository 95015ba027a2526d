import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@strata/core';
import type { AccountView } from './account.view';

/** What `ListAccountsQuery` filters on; a filter left out matches every account. */
export interface AccountFilter {
  readonly owner: string | undefined;
  readonly status: AccountView['status'] | undefined;
  /** With auth on: the caller, whose accounts alone are listed. */
  readonly viewer?: string;
}

/** A page of accounts in id order, optionally of one owner or in one status. */
export class ListAccountsQuery extends Query<Page<AccountView>> {
  constructor(
    readonly filter: AccountFilter,
    readonly page: PageRequest,
  ) {
    super();
  }
}
