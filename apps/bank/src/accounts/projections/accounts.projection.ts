import { Projection, type ProjectionContext, type ProjectionHandler } from '@strata/core';
import type { AccountEvent, RecordedAccountEvent } from '../events/account.events';
import { NotProjectedError } from '../../not-projected.error';
import { ACCOUNTS_COLLECTION, type AccountDocument } from './account.document';
import { accountsVersionFrom } from './accounts-version';

const NAME = 'accounts';

/** Read when the class is declared: the decorator fixes the version. */
const VERSION = accountsVersionFrom(process.env);

/**
 * Keeps one document per account: owner, balance, status and the revision it reflects.
 * Version 2 also keeps `lastActivityAt`; each version serves its own read model.
 */
@Projection({
  name: NAME,
  version: VERSION,
  events: ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn', 'AccountClosed'],
  collections: {
    // Both serve GET /accounts: a filter on owner or status, paged in _id order.
    [ACCOUNTS_COLLECTION]: { indexes: [{ keys: { owner: 1, _id: 1 } }, { keys: { status: 1, _id: 1 } }] },
  },
})
export class AccountsProjection implements ProjectionHandler<AccountEvent> {
  async handle(event: RecordedAccountEvent, ctx: ProjectionContext): Promise<void> {
    const accounts = ctx.collection<AccountDocument>(ACCOUNTS_COLLECTION);
    const { accountId } = event.data;
    const current = await accounts.findOne({ _id: accountId });
    const revision = Number(event.revision);
    // Delivery is at least once: an event at or below the stored revision is already in the document.
    if (current && revision <= current.revision) return;
    const { _id, ...next } = applyToAccount(current, event, revision);
    await accounts.replaceOne({ _id }, VERSION === 2 ? { ...next, lastActivityAt: event.createdAt.toISOString() } : next, { upsert: true });
  }
}

function applyToAccount(current: AccountDocument | null, event: RecordedAccountEvent, revision: number): AccountDocument {
  if (event.type === 'AccountOpened') {
    return { _id: event.data.accountId, owner: event.data.owner, balance: 0, status: 'open', revision };
  }
  if (!current) throw new NotProjectedError(NAME, event, 'account', event.data.accountId);
  switch (event.type) {
    case 'MoneyDeposited':
      return { ...current, balance: current.balance + event.data.amount, revision };
    case 'MoneyWithdrawn':
      return { ...current, balance: current.balance - event.data.amount, revision };
    case 'AccountClosed':
      return { ...current, status: 'closed', revision };
  }
}
