import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@strata/core';
import type { TransactionView } from './transaction.view';

/** A page of one account's transactions, oldest first. */
export class ListAccountTransactionsQuery extends Query<Page<TransactionView>> {
  constructor(
    readonly accountId: string,
    readonly page: PageRequest,
    /** With auth on: the caller, who must own the account. */
    readonly viewer?: string,
  ) {
    super();
  }
}
