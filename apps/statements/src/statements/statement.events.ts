import type { Event, RecordedEvent } from '@strata/core';

export type StatementOpened = Event<'StatementOpened', { accountId: string; owner: string }>;
/** `amount` is signed: positive into the account, negative out of it. `balance` is after it. */
export type MovementRecorded = Event<'MovementRecorded', { accountId: string; amount: number; balance: number; transferId?: string }>;
export type SettlementRecorded = Event<'SettlementRecorded', { transferId: string; outcome: 'completed' | 'failed'; reason?: string }>;

export type StatementEvent = StatementOpened | MovementRecorded;

export type RecordedStatementEvent =
  | RecordedEvent<StatementOpened>
  | RecordedEvent<MovementRecorded>
  | RecordedEvent<SettlementRecorded>;
