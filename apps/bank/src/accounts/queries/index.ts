import { GetAccountHandler } from './get-account.handler';
import { ListAccountTransactionsHandler } from './list-account-transactions.handler';
import { ListAccountsHandler } from './list-accounts.handler';

export { GetAccountQuery } from './get-account.query';
export { ListAccountsQuery, type AccountFilter } from './list-accounts.query';
export { ListAccountTransactionsQuery } from './list-account-transactions.query';
export type { AccountView } from './account.view';
export type { TransactionView } from './transaction.view';
export type { Page, PageRequest } from '@strata/core';

/** Every account query handler, for the module's providers. */
export const QueryHandlers = [GetAccountHandler, ListAccountsHandler, ListAccountTransactionsHandler];
