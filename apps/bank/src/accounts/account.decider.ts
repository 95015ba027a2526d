import type { Decider } from '@strata/core';
import {
  AccountAlreadyOpenError,
  AccountClosedError,
  AccountNotFoundError,
  BalanceLimitError,
  BalanceNotZeroError,
  InsufficientFundsError,
  InvalidAmountError,
} from './account.errors';
import type { AccountEvent } from './events/account.events';

/** Marks a deposit or withdrawal as a leg of a money transfer; the events carry it into the history. */
export interface TransferLeg {
  readonly transferId?: string;
  /** A deposit that returns the transfer's withdrawal to where it came from. */
  readonly refund?: boolean;
}

/**
 * Who asks: with auth on, the token subject, and only the account's owner may act on it. A
 * saga's deposits act for nobody in particular, so they carry none.
 */
export interface Requester {
  readonly requestedBy?: string;
}

export type AccountCommand =
  | { readonly type: 'OpenAccount'; readonly accountId: string; readonly owner: string }
  | ({ readonly type: 'DepositMoney'; readonly accountId: string; readonly amount: number } & TransferLeg & Requester)
  | ({ readonly type: 'WithdrawMoney'; readonly accountId: string; readonly amount: number } & Omit<TransferLeg, 'refund'> & Requester)
  | ({ readonly type: 'CloseAccount'; readonly accountId: string } & Requester);

export interface AccountState {
  readonly status: 'none' | 'open' | 'closed';
  readonly owner: string;
  readonly balance: number;
}

// The HTTP layer validates amounts too; the decider holds the rule itself so no other
// caller (a saga, a script) can move money backwards with a negative amount.
function requirePositive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new InvalidAmountError(amount);
}

// Someone else's account answers exactly as a missing one does, so its existence stays private.
function requireOpen(state: AccountState, accountId: string, { requestedBy }: Requester): void {
  if (state.status === 'none' || (requestedBy !== undefined && requestedBy !== state.owner)) throw new AccountNotFoundError(accountId);
  if (state.status === 'closed') throw new AccountClosedError(accountId);
}

// Only the fields that are set, so plain deposits and withdrawals keep the shape they always had.
function legOf({ transferId, refund }: TransferLeg): { transferId?: string; refund?: true } {
  return { ...(transferId !== undefined && { transferId }), ...(refund === true && { refund }) };
}

/** A bank account: opened by an owner, holds a non-negative balance in minor units, closed at zero. */
export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  category: 'Account',

  initialState: () => ({ status: 'none', owner: '', balance: 0 }),

  evolve(state, event) {
    switch (event.type) {
      case 'AccountOpened':
        return { status: 'open', owner: event.data.owner, balance: 0 };
      case 'MoneyDeposited':
        return { ...state, balance: state.balance + event.data.amount };
      case 'MoneyWithdrawn':
        return { ...state, balance: state.balance - event.data.amount };
      case 'AccountClosed':
        return { ...state, status: 'closed' };
    }
  },

  decide(command, state) {
    const { accountId } = command;
    switch (command.type) {
      case 'OpenAccount':
        if (state.status !== 'none') throw new AccountAlreadyOpenError(accountId);
        return [{ type: 'AccountOpened', data: { accountId, owner: command.owner } }];
      case 'DepositMoney':
        requirePositive(command.amount);
        requireOpen(state, accountId, command);
        if (state.balance + command.amount > Number.MAX_SAFE_INTEGER) {
          throw new BalanceLimitError(accountId, state.balance, command.amount);
        }
        return [{ type: 'MoneyDeposited', data: { accountId, amount: command.amount, ...legOf(command) } }];
      case 'WithdrawMoney':
        requirePositive(command.amount);
        requireOpen(state, accountId, command);
        if (command.amount > state.balance) throw new InsufficientFundsError(accountId, state.balance, command.amount);
        return [{ type: 'MoneyWithdrawn', data: { accountId, amount: command.amount, ...legOf(command) } }];
      case 'CloseAccount':
        requireOpen(state, accountId, command);
        if (state.balance !== 0) throw new BalanceNotZeroError(accountId, state.balance);
        return [{ type: 'AccountClosed', data: { accountId } }];
    }
  },

  // Busy accounts collect long histories; a command reads at most the last 100 events. The
  // state is plain JSON, so it is stored as it is; bump the version when evolve changes.
  snapshot: { every: 100, version: 1 },
};
