import { StrataError } from '@strata/core';
import { ProjectionSpecification, recordGivenEvents } from '@strata/testing';
import type { AccountClosed, AccountEvent, AccountOpened, MoneyDeposited, MoneyWithdrawn } from '../events/account.events';
import { AccountsProjection } from './accounts.projection';

const accountId = 'acc-1';
const streamId = `Account-${accountId}`;
const opened: AccountOpened = { type: 'AccountOpened', data: { accountId, owner: 'Ada' } };
const deposited = (amount: number): MoneyDeposited => ({ type: 'MoneyDeposited', data: { accountId, amount } });
const withdrawn = (amount: number): MoneyWithdrawn => ({ type: 'MoneyWithdrawn', data: { accountId, amount } });
const closed: AccountClosed = { type: 'AccountClosed', data: { accountId } };

// The projection guards on the stream revision, so every given event names its stream.
const inStream = (...events: AccountEvent[]) => events.map((event) => ({ ...event, streamId }));

const spec = ProjectionSpecification.for(AccountsProjection);

describe('AccountsProjection', () => {
  it('adds an open account with a zero balance', async () => {
    await spec.given(inStream(opened)).then('accounts', [{ _id: accountId, owner: 'Ada', balance: 0, status: 'open', revision: 0 }]);
  });

  it('keeps the balance through deposits and withdrawals', async () => {
    await spec
      .given(inStream(opened, deposited(500), withdrawn(200), deposited(50)))
      .then('accounts', [{ _id: accountId, owner: 'Ada', balance: 350, status: 'open', revision: 3 }]);
  });

  it('marks a closed account closed', async () => {
    await spec
      .given(inStream(opened, deposited(100), withdrawn(100), closed))
      .then('accounts', [{ _id: accountId, owner: 'Ada', balance: 0, status: 'closed', revision: 3 }]);
  });

  it('keeps accounts apart', async () => {
    const other = { type: 'AccountOpened', data: { accountId: 'acc-0', owner: 'Grace' }, streamId: 'Account-acc-0' } as const;
    await spec.given([...inStream(opened), other, ...inStream(deposited(5))]).then('accounts', [
      { _id: 'acc-0', owner: 'Grace', balance: 0, status: 'open', revision: 0 },
      { _id: accountId, owner: 'Ada', balance: 5, status: 'open', revision: 1 },
    ]);
  });

  it('applies each event once when every event is delivered twice', async () => {
    await spec
      .given(inStream(opened, deposited(500), withdrawn(200), withdrawn(300), closed))
      .deliveredTwice()
      .then('accounts', [{ _id: accountId, owner: 'Ada', balance: 0, status: 'closed', revision: 4 }]);
  });

  it('skips events redelivered after later ones, as when a batch is replayed', async () => {
    const [open, deposit, withdraw] = recordGivenEvents(inStream(opened, deposited(500), withdrawn(200)));
    if (!open || !deposit || !withdraw) throw new Error('three events were recorded');

    await spec
      .given([open, deposit, withdraw, deposit, withdraw])
      .then('accounts', [{ _id: accountId, owner: 'Ada', balance: 300, status: 'open', revision: 2 }]);
  });

  it('refuses money moved on an account it never saw opened', async () => {
    await spec
      .given(inStream(deposited(5)))
      .thenThrows(StrataError, (error) => expect(error.code).toBe('ACCOUNT_NOT_PROJECTED'));
  });
});
