import { DeciderSpecification } from '@strata/testing';
import { accountDecider } from './account.decider';
import {
  AccountAlreadyOpenError,
  AccountClosedError,
  AccountNotFoundError,
  BalanceLimitError,
  BalanceNotZeroError,
  InsufficientFundsError,
  InvalidAmountError,
} from './account.errors';
import type { AccountClosed, AccountOpened, MoneyDeposited, MoneyWithdrawn } from './events/account.events';

const accountId = 'acc-1';
const opened: AccountOpened = { type: 'AccountOpened', data: { accountId, owner: 'Ada' } };
const deposited = (amount: number): MoneyDeposited => ({ type: 'MoneyDeposited', data: { accountId, amount } });
const withdrawn = (amount: number): MoneyWithdrawn => ({ type: 'MoneyWithdrawn', data: { accountId, amount } });
const closed: AccountClosed = { type: 'AccountClosed', data: { accountId } };

const spec = DeciderSpecification.for(accountDecider);

describe('accountDecider', () => {
  describe('OpenAccount', () => {
    const open = { type: 'OpenAccount', accountId, owner: 'Ada' } as const;

    it('opens a new account for its owner', () => {
      spec.given([]).when(open).then([opened]);
    });

    it('refuses to open an account twice', () => {
      spec
        .given([opened])
        .when(open)
        .thenThrows(AccountAlreadyOpenError, (error) =>
          expect(error).toMatchObject({ accountId, code: 'ACCOUNT_ALREADY_OPEN' }),
        );
    });

    it('refuses to reopen a closed account', () => {
      spec.given([opened, closed]).when(open).thenThrows(AccountAlreadyOpenError);
    });
  });

  describe('DepositMoney', () => {
    const deposit = (amount: number) => ({ type: 'DepositMoney', accountId, amount }) as const;

    it('deposits into an open account', () => {
      spec.given([opened]).when(deposit(50)).then([deposited(50)]);
    });

    it('deposits on top of an existing balance', () => {
      spec.given([opened, deposited(50), withdrawn(20)]).when(deposit(5)).then([deposited(5)]);
    });

    it('marks a transfer leg, and a refund, in the event', () => {
      spec.given([opened]).when({ ...deposit(5), transferId: 't-1' }).then([{ type: 'MoneyDeposited', data: { accountId, amount: 5, transferId: 't-1' } }]);
      spec
        .given([opened])
        .when({ ...deposit(5), transferId: 't-1', refund: true })
        .then([{ type: 'MoneyDeposited', data: { accountId, amount: 5, transferId: 't-1', refund: true } }]);
    });

    it('refuses a deposit into an unknown account', () => {
      spec
        .given([])
        .when(deposit(50))
        .thenThrows(AccountNotFoundError, (error) =>
          expect(error).toMatchObject({ accountId, code: 'ACCOUNT_NOT_FOUND' }),
        );
    });

    it('refuses a deposit into a closed account', () => {
      spec
        .given([opened, closed])
        .when(deposit(50))
        .thenThrows(AccountClosedError, (error) => expect(error).toMatchObject({ accountId, code: 'ACCOUNT_CLOSED' }));
    });

    it('accepts a deposit that reaches the largest balance exactly', () => {
      spec
        .given([opened, deposited(Number.MAX_SAFE_INTEGER - 10)])
        .when(deposit(10))
        .then([deposited(10)]);
    });

    it('refuses a deposit that would pass the largest balance', () => {
      const balance = Number.MAX_SAFE_INTEGER - 10;
      spec
        .given([opened, deposited(balance)])
        .when(deposit(11))
        .thenThrows(BalanceLimitError, (error) =>
          expect(error).toMatchObject({ accountId, balance, amount: 11, code: 'BALANCE_LIMIT' }),
        );
    });
  });

  describe('WithdrawMoney', () => {
    const withdraw = (amount: number) => ({ type: 'WithdrawMoney', accountId, amount }) as const;

    it('withdraws part of the balance', () => {
      spec.given([opened, deposited(50)]).when(withdraw(20)).then([withdrawn(20)]);
    });

    it('marks a transfer leg in the event', () => {
      spec.given([opened, deposited(50)]).when({ ...withdraw(20), transferId: 't-1' }).then([{ type: 'MoneyWithdrawn', data: { accountId, amount: 20, transferId: 't-1' } }]);
    });

    it('withdraws the exact balance', () => {
      spec.given([opened, deposited(50), withdrawn(20)]).when(withdraw(30)).then([withdrawn(30)]);
    });

    it('refuses to withdraw more than the balance', () => {
      spec
        .given([opened, deposited(50), withdrawn(20)])
        .when(withdraw(31))
        .thenThrows(InsufficientFundsError, (error) =>
          expect(error).toMatchObject({ accountId, balance: 30, amount: 31, code: 'INSUFFICIENT_FUNDS' }),
        );
    });

    it('refuses to withdraw from an account that never held money', () => {
      spec
        .given([opened])
        .when(withdraw(1))
        .thenThrows(InsufficientFundsError, (error) => expect(error).toMatchObject({ balance: 0, amount: 1 }));
    });

    it('refuses to withdraw from a closed account', () => {
      spec.given([opened, closed]).when(withdraw(1)).thenThrows(AccountClosedError);
    });

    it('refuses to withdraw from an unknown account', () => {
      spec.given([]).when(withdraw(1)).thenThrows(AccountNotFoundError);
    });
  });

  describe('CloseAccount', () => {
    const close = { type: 'CloseAccount', accountId } as const;

    it('closes an account that never held money', () => {
      spec.given([opened]).when(close).then([closed]);
    });

    it('closes an account once its balance is back to zero', () => {
      spec.given([opened, deposited(50), withdrawn(20), withdrawn(30)]).when(close).then([closed]);
    });

    it('refuses to close an account that still holds money', () => {
      spec
        .given([opened, deposited(50), withdrawn(20)])
        .when(close)
        .thenThrows(BalanceNotZeroError, (error) =>
          expect(error).toMatchObject({ accountId, balance: 30, code: 'BALANCE_NOT_ZERO' }),
        );
    });

    it('refuses to close an account twice', () => {
      spec.given([opened, closed]).when(close).thenThrows(AccountClosedError);
    });

    it('refuses to close an unknown account', () => {
      spec.given([]).when(close).thenThrows(AccountNotFoundError);
    });
  });

  describe('amounts', () => {
    it.each([0, -5, 1.5, Number.NaN])('refuses to deposit or withdraw %p', (amount) => {
      const given = [opened, deposited(100)];
      spec.given(given).when({ type: 'DepositMoney', accountId, amount }).thenThrows(InvalidAmountError);
      spec.given(given).when({ type: 'WithdrawMoney', accountId, amount }).thenThrows(InvalidAmountError);
    });
  });
});
