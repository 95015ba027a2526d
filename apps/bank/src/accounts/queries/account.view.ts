import type { AccountDocument } from '../projections/account.document';

/** An account as `GET /accounts` and `GET /accounts/{id}` answer it. */
export interface AccountView {
  readonly id: string;
  readonly owner: string;
  readonly balance: number;
  readonly status: 'open' | 'closed';
  /** The revision of the account's stream this view reflects; matches a command's `revision` and `ETag`. */
  readonly revision: number;
  /** When the account last changed; served by version 2 of the accounts projection only. */
  readonly lastActivityAt?: string;
}

/** The view of a read-model document: fields named for clients, nothing else leaked. */
export function toAccountView(document: AccountDocument): AccountView {
  const { _id: id, owner, balance, status, revision, lastActivityAt } = document;
  return { id, owner, balance, status, revision, ...(lastActivityAt !== undefined && { lastActivityAt }) };
}
