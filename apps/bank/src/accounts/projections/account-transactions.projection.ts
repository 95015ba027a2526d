import { Projection, type ProjectionContext, type ProjectionHandler } from '@strata/core';
import type { AccountEvent, MoneyDeposited, MoneyWithdrawn, RecordedAccountEvent } from '../events/account.events';
import { NotProjectedError } from '../../not-projected.error';
import {
  TRANSACTION_LEDGERS_COLLECTION,
  TRANSACTIONS_COLLECTION,
  type TransactionDocument,
  type TransactionLedgerDocument,
} from './transaction.documents';

const NAME = 'account-transactions';

type MoneyMoved = Extract<RecordedAccountEvent, { type: (MoneyDeposited | MoneyWithdrawn)['type'] }>;

/** Keeps each account's deposits and withdrawals, oldest first, with the balance after each. */
@Projection({
  name: NAME,
  // v2 records the owner in the ledger.
  version: 2,
  // Closing moves no money, so AccountClosed is not needed here.
  events: ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn'],
  collections: {
    // Serves GET /accounts/{id}/transactions: one account's transactions, paged by position.
    [TRANSACTIONS_COLLECTION]: { indexes: [{ keys: { accountId: 1, position: 1 } }] },
    [TRANSACTION_LEDGERS_COLLECTION]: {},
  },
})
export class AccountTransactionsProjection implements ProjectionHandler<AccountEvent> {
  async handle(event: RecordedAccountEvent, ctx: ProjectionContext): Promise<void> {
    const ledgers = ctx.collection<TransactionLedgerDocument>(TRANSACTION_LEDGERS_COLLECTION);
    const { accountId } = event.data;
    const ledger = await ledgers.findOne({ _id: accountId });
    const revision = Number(event.revision);
    // Delivery is at least once: an event at or below the ledger's revision is already recorded.
    if (ledger && revision <= ledger.revision) return;
    if (event.type === 'AccountOpened') {
      await ledgers.replaceOne({ _id: accountId }, { owner: event.data.owner, balance: 0, revision }, { upsert: true });
      return;
    }
    // Never delivered (it is not in `events`), but the event type admits it.
    if (event.type === 'AccountClosed') return;
    if (!ledger) throw new NotProjectedError(NAME, event, 'account', event.data.accountId);
    const transaction = transactionOf(event, ledger.balance);
    const { _id, ...fields } = transaction;
    // Both writes commit in the event's unit of work, so the ledger's revision guards the insert too.
    await ctx.collection<TransactionDocument>(TRANSACTIONS_COLLECTION).replaceOne({ _id }, fields, { upsert: true });
    await ledgers.replaceOne({ _id: accountId }, { owner: ledger.owner, balance: transaction.balanceAfter, revision });
  }
}

function transactionOf(event: MoneyMoved, balance: number): TransactionDocument {
  const deposit = event.type === 'MoneyDeposited';
  const { accountId, amount, transferId } = event.data;
  return {
    _id: event.position,
    accountId,
    type: deposit ? 'deposit' : 'withdrawal',
    amount,
    balanceAfter: deposit ? balance + amount : balance - amount,
    at: event.createdAt.toISOString(),
    position: event.position,
    ...(transferId !== undefined && { transferId }),
  };
}
