/** The account-transactions projection's collections. */
export const TRANSACTIONS_COLLECTION = 'transactions';
export const TRANSACTION_LEDGERS_COLLECTION = 'transaction_ledgers';

/** One deposit or withdrawal, keyed by the position of the event that recorded it. */
export interface TransactionDocument {
  /** The event's position, so a redelivered event rewrites the same document. */
  _id: string;
  accountId: string;
  type: 'deposit' | 'withdrawal';
  amount: number;
  /** The account's balance right after this transaction, in minor units. */
  balanceAfter: number;
  /** When the event was recorded, as an ISO 8601 string. */
  at: string;
  /** The same as `_id`, as a field to index and page on. */
  position: string;
  /** The money transfer this is a leg of, if any. */
  transferId?: string;
}

/**
 * The projection's own running balance per account: projections never read each other's
 * collections. Its existence also says the account exists, for a 404 on an unknown one.
 */
export interface TransactionLedgerDocument {
  /** The account id. */
  _id: string;
  /** The account's owner, so the transactions endpoint can refuse others without reading another projection. */
  owner: string;
  balance: number;
  /** The stream revision of the last event applied; events at or below it are skipped. */
  revision: number;
}
