/** The transfers projection's collection. */
export const TRANSFERS_COLLECTION = 'transfers';

/** One transfer as the read model keeps it. */
export interface TransferDocument {
  /** The transfer id. */
  _id: string;
  from: string;
  to: string;
  amount: number;
  status: 'pending' | 'completed' | 'failed';
  /** The authenticated requester, the only one who may read it; absent when auth was off. */
  requestedBy?: string;
  /** Why it failed; only on failed transfers. */
  reason?: string;
  /** The stream revision of the last event applied; events at or below it are skipped. */
  revision: number;
}
