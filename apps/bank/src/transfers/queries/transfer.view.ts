import type { TransferDocument } from '../projections/transfer.document';

/** A transfer as `GET /transfers/{id}` answers it. */
export interface TransferView {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly status: 'pending' | 'completed' | 'failed';
  /** Why it failed; only on failed transfers. */
  readonly reason?: string;
}

/** The view of a read-model document: fields named for clients, nothing else leaked. */
export function toTransferView(document: TransferDocument): TransferView {
  const { _id: id, from, to, amount, status, reason } = document;
  return { id, from, to, amount, status, ...(reason !== undefined && { reason }) };
}
