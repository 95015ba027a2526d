import type { TransactionDocument } from '../projections/transaction.documents';

/** One transaction as `GET /accounts/{id}/transactions` answers it. */
export interface TransactionView {
  readonly type: 'deposit' | 'withdrawal';
  readonly amount: number;
  readonly balanceAfter: number;
  /** When it was recorded, ISO 8601. */
  readonly at: string;
  /** The global position of the event; the same string a command's response carries. */
  readonly position: string;
  /** The money transfer this is a leg of; absent for plain deposits and withdrawals. */
  readonly transferId?: string;
}

/** The view of a read-model document. */
export function toTransactionView(document: TransactionDocument): TransactionView {
  const { type, amount, balanceAfter, at, position, transferId } = document;
  return { type, amount, balanceAfter, at, position, ...(transferId !== undefined && { transferId }) };
}
