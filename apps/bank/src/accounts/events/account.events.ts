import type { Event, Recorded } from '@strata/core';

export type AccountOpened = Event<'AccountOpened', { accountId: string; owner: string }>;
/** `transferId` marks a leg of a money transfer; `refund` a deposit that returns a transfer's withdrawal. */
export type MoneyDeposited = Event<'MoneyDeposited', { accountId: string; amount: number; transferId?: string; refund?: true }>;
/** `transferId` marks the withdrawal of a money transfer. */
export type MoneyWithdrawn = Event<'MoneyWithdrawn', { accountId: string; amount: number; transferId?: string }>;
export type AccountClosed = Event<'AccountClosed', { accountId: string }>;

/** Everything that can happen to an account. */
export type AccountEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | AccountClosed;

/** One recorded account event, discriminated on `type`, so a `switch` narrows `data` as well. */
export type RecordedAccountEvent = Recorded<AccountEvent>;
