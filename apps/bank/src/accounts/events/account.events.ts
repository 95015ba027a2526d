import type { Event } from '@strata/core';

export type AccountOpened = Event<'AccountOpened', { accountId: string; owner: string }>;
export type MoneyDeposited = Event<'MoneyDeposited', { accountId: string; amount: number }>;
export type MoneyWithdrawn = Event<'MoneyWithdrawn', { accountId: string; amount: number }>;
export type AccountClosed = Event<'AccountClosed', { accountId: string }>;

/** Everything that can happen to an account. */
export type AccountEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | AccountClosed;
