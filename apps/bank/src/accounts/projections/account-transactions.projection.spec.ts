import { StrataError } from '@strata/core';
import { positionFromSequence } from '@strata/core/adapter';
import { ProjectionSpecification, recordGivenEvents } from '@strata/testing';
import type { AccountClosed, AccountEvent, AccountOpened, MoneyDeposited, MoneyWithdrawn } from '../events/account.events';
import { AccountTransactionsProjection } from './account-transactions.projection';

const accountId = 'acc-1';
const opened: AccountOpened = { type: 'AccountOpened', data: { accountId, owner: 'Ada' } };
const deposited = (amount: number): MoneyDeposited => ({ type: 'MoneyDeposited', data: { accountId, amount } });
const withdrawn = (amount: number): MoneyWithdrawn => ({ type: 'MoneyWithdrawn', data: { accountId, amount } });
const closed: AccountClosed = { type: 'AccountClosed', data: { accountId } };

// The projection guards on the stream revision, so every given event names its stream.
const inStream = (...events: AccountEvent[]) => events.map((event) => ({ ...event, streamId: `Account-${event.data.accountId}` }));

// Given events are numbered from position 1, one second apart from 2026-01-01T00:00:00Z.
const transaction = (sequence: number, type: 'deposit' | 'withdrawal', amount: number, balanceAfter: number) => {
  const position = positionFromSequence(sequence);
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence - 1)).toISOString();
  return { _id: position, accountId, type, amount, balanceAfter, at, position };
};

const spec = ProjectionSpecification.for(AccountTransactionsProjection);

describe('AccountTransactionsProjection', () => {
  it('starts a ledger at zero, with the owner and no transactions, when an account opens', async () => {
    await spec.given(inStream(opened)).thenCollections({
      transactions: [],
      transaction_ledgers: [{ _id: accountId, owner: 'Ada', balance: 0, revision: 0 }],
    });
  });

  it('records deposits and withdrawals with the balance after each', async () => {
    await spec.given(inStream(opened, deposited(500), withdrawn(200), deposited(50))).thenCollections({
      transactions: [transaction(2, 'deposit', 500, 500), transaction(3, 'withdrawal', 200, 300), transaction(4, 'deposit', 50, 350)],
      transaction_ledgers: [{ _id: accountId, owner: 'Ada', balance: 350, revision: 3 }],
    });
  });

  it('names the transfer a transaction is a leg of', async () => {
    const leg = { type: 'MoneyWithdrawn', data: { accountId, amount: 30, transferId: 't-1' } } as const;
    const refund = { type: 'MoneyDeposited', data: { accountId, amount: 30, transferId: 't-1', refund: true } } as const;
    await spec.given(inStream(opened, deposited(50), leg, refund)).then('transactions', [
      transaction(2, 'deposit', 50, 50),
      { ...transaction(3, 'withdrawal', 30, 20), transferId: 't-1' },
      { ...transaction(4, 'deposit', 30, 50), transferId: 't-1' },
    ]);
  });

  it('records nothing when an account closes', async () => {
    await spec.given(inStream(opened, deposited(10), withdrawn(10), closed)).thenCollections({
      transactions: [transaction(2, 'deposit', 10, 10), transaction(3, 'withdrawal', 10, 0)],
      transaction_ledgers: [{ _id: accountId, owner: 'Ada', balance: 0, revision: 2 }],
    });
  });

  it('keeps each account to its own running balance', async () => {
    const otherOpened: AccountOpened = { type: 'AccountOpened', data: { accountId: 'acc-2', owner: 'Grace' } };
    const otherDeposited: MoneyDeposited = { type: 'MoneyDeposited', data: { accountId: 'acc-2', amount: 7 } };
    await spec.given(inStream(opened, otherOpened, deposited(100), otherDeposited)).thenCollections({
      transactions: [transaction(3, 'deposit', 100, 100), { ...transaction(4, 'deposit', 7, 7), accountId: 'acc-2' }],
      transaction_ledgers: [
        { _id: accountId, owner: 'Ada', balance: 100, revision: 1 },
        { _id: 'acc-2', owner: 'Grace', balance: 7, revision: 1 },
      ],
    });
  });

  it('records each transaction once when every event is delivered twice', async () => {
    await spec
      .given(inStream(opened, deposited(500), withdrawn(200), withdrawn(300), closed))
      .deliveredTwice()
      .thenCollections({
        transactions: [transaction(2, 'deposit', 500, 500), transaction(3, 'withdrawal', 200, 300), transaction(4, 'withdrawal', 300, 0)],
        transaction_ledgers: [{ _id: accountId, owner: 'Ada', balance: 0, revision: 3 }],
      });
  });

  it('skips events redelivered after later ones, as when a batch is replayed', async () => {
    const [open, deposit, withdraw] = recordGivenEvents(inStream(opened, deposited(500), withdrawn(200)));
    if (!open || !deposit || !withdraw) throw new Error('three events were recorded');

    await spec.given([open, deposit, withdraw, deposit, withdraw]).thenCollections({
      transactions: [transaction(2, 'deposit', 500, 500), transaction(3, 'withdrawal', 200, 300)],
      transaction_ledgers: [{ _id: accountId, owner: 'Ada', balance: 300, revision: 2 }],
    });
  });

  it('refuses money moved on an account it never saw opened', async () => {
    await spec
      .given(inStream(withdrawn(5)))
      .thenThrows(StrataError, (error) => expect(error.code).toBe('ACCOUNT_NOT_PROJECTED'));
  });
});
