import { DomainError, type Decider } from '@strata/core';
import type { SettlementRecorded, StatementEvent } from './statement.events';

/** Money moved on an account this service never heard open: the bank's order was not kept. */
export class StatementNotOpenedError extends DomainError {
  constructor(accountId: string) {
    super('STATEMENT_NOT_OPENED', `No statement is open for account '${accountId}': its bank.account-opened message has not been applied. Check the inbox's parked messages.`);
  }
}

export type StatementCommand =
  | { readonly type: 'OpenStatement'; readonly accountId: string; readonly owner: string }
  | { readonly type: 'RecordMovement'; readonly accountId: string; readonly direction: 'in' | 'out'; readonly amount: number; readonly transferId?: string };

export interface StatementState {
  readonly open: boolean;
  readonly balance: number;
}

/** An account's statement as this service keeps it: opened once, then every movement with the balance after it. */
export const statementDecider: Decider<StatementCommand, StatementEvent, StatementState> = {
  category: 'Statement',
  initialState: () => ({ open: false, balance: 0 }),
  evolve: (state, event) => (event.type === 'StatementOpened' ? { open: true, balance: 0 } : { ...state, balance: event.data.balance }),
  decide(command, state) {
    if (command.type === 'OpenStatement') {
      // Opening twice is the same fact told twice: nothing new to record.
      return state.open ? [] : [{ type: 'StatementOpened', data: { accountId: command.accountId, owner: command.owner } }];
    }
    if (!state.open) throw new StatementNotOpenedError(command.accountId);
    const amount = command.direction === 'in' ? command.amount : -command.amount;
    const leg = command.transferId === undefined ? {} : { transferId: command.transferId };
    return [{ type: 'MovementRecorded', data: { accountId: command.accountId, amount, balance: state.balance + amount, ...leg } }];
  },
};

export type SettlementCommand = { readonly type: 'RecordSettlement' } & SettlementRecorded['data'];

/** How a transfer ended, recorded once. */
export const settlementDecider: Decider<SettlementCommand, SettlementRecorded, { readonly settled: boolean }> = {
  category: 'Settlement',
  initialState: () => ({ settled: false }),
  evolve: () => ({ settled: true }),
  decide: ({ type: _type, ...settlement }, state) => (state.settled ? [] : [{ type: 'SettlementRecorded', data: settlement }]),
};
