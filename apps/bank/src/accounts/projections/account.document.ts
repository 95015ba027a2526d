/** The collection the accounts projection writes. */
export const ACCOUNTS_COLLECTION = 'accounts';

/** One account as the `accounts` read model holds it. */
export interface AccountDocument {
  /** The account id. */
  _id: string;
  owner: string;
  /** In minor units. */
  balance: number;
  status: 'open' | 'closed';
  /** The stream revision of the last event applied; events at or below it are skipped. */
  revision: number;
  /** When the last event applied happened; kept by version 2 of the projection only. */
  lastActivityAt?: string;
}
