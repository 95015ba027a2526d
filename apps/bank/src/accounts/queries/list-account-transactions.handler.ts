import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReadModels, type Filter, pageOf, type Page } from '@strata/core';
import {
  TRANSACTION_LEDGERS_COLLECTION,
  TRANSACTIONS_COLLECTION,
  type TransactionDocument,
  type TransactionLedgerDocument,
} from '../projections/transaction.documents';
import { accountNotFound } from './account-not-found';
import { ListAccountTransactionsQuery } from './list-account-transactions.query';
import { toTransactionView, type TransactionView } from './transaction.view';

/**
 * Answers `ListAccountTransactionsQuery` by keyset paging on the position. Whether the account
 * exists comes from the same projection's ledger, never from another projection's collection.
 */
@QueryHandler(ListAccountTransactionsQuery)
export class ListAccountTransactionsHandler implements IQueryHandler<ListAccountTransactionsQuery, Page<TransactionView>> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ accountId, page, viewer }: ListAccountTransactionsQuery): Promise<Page<TransactionView>> {
    const ledger = await this.readModels
      .collection<TransactionLedgerDocument>(TRANSACTION_LEDGERS_COLLECTION)
      .findOne({ _id: accountId }, { projection: { _id: 1, owner: 1 } });
    if (!ledger || (viewer !== undefined && ledger.owner !== viewer)) throw accountNotFound(accountId);
    const query: Filter<TransactionDocument> = {
      accountId,
      ...(page.after !== undefined && { position: { $gt: page.after } }),
    };
    const transactions = await this.readModels
      .collection<TransactionDocument>(TRANSACTIONS_COLLECTION)
      .find(query, { sort: { position: 1 }, limit: page.limit + 1 });
    return pageOf(transactions, page.limit, (transaction) => transaction.position, toTransactionView);
  }
}
