import { DeciderSpecification } from '@strata/testing';
import { settlementDecider, statementDecider, StatementNotOpenedError } from './statement.decider';
import type { MovementRecorded, SettlementRecorded, StatementOpened } from './statement.events';

const accountId = 'acc-1';
const opened: StatementOpened = { type: 'StatementOpened', data: { accountId, owner: 'Ada' } };
const moved = (amount: number, balance: number, transferId?: string): MovementRecorded => ({
  type: 'MovementRecorded',
  data: { accountId, amount, balance, ...(transferId === undefined ? {} : { transferId }) },
});

const statements = DeciderSpecification.for(statementDecider);
const settlements = DeciderSpecification.for(settlementDecider);

describe('statementDecider', () => {
  it('opens a statement once; the same opening told again records nothing', () => {
    statements.given([]).when({ type: 'OpenStatement', accountId, owner: 'Ada' }).then([opened]);
    statements.given([opened]).when({ type: 'OpenStatement', accountId, owner: 'Ada' }).then([]);
  });

  it('records money in and out with the balance after each movement', () => {
    statements.given([opened]).when({ type: 'RecordMovement', accountId, direction: 'in', amount: 500 }).then([moved(500, 500)]);
    statements.given([opened, moved(500, 500)]).when({ type: 'RecordMovement', accountId, direction: 'out', amount: 200, transferId: 't-1' }).then([moved(-200, 300, 't-1')]);
  });

  it('refuses a movement on an account it never saw opened', () => {
    statements.given([]).when({ type: 'RecordMovement', accountId, direction: 'in', amount: 1 }).thenThrows(StatementNotOpenedError, (error) => expect(error.code).toBe('STATEMENT_NOT_OPENED'));
  });
});

describe('settlementDecider', () => {
  const settled: SettlementRecorded = { type: 'SettlementRecorded', data: { transferId: 't-1', outcome: 'failed', reason: 'Insufficient funds' } };

  it('records how a transfer ended, once', () => {
    settlements.given([]).when({ type: 'RecordSettlement', transferId: 't-1', outcome: 'failed', reason: 'Insufficient funds' }).then([settled]);
    settlements.given([settled]).when({ type: 'RecordSettlement', transferId: 't-1', outcome: 'failed', reason: 'Insufficient funds' }).then([]);
  });
});
