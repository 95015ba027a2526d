import { ProjectionSpecification } from '@strata/testing';
import type { MovementRecorded, SettlementRecorded, StatementOpened } from '../statement.events';
import { StatementsProjection } from './statements.projection';

const accountId = 'acc-1';
const streamId = `Statement-${accountId}`;
const opened: StatementOpened = { type: 'StatementOpened', data: { accountId, owner: 'Ada' } };
const moved = (amount: number, balance: number): MovementRecorded => ({ type: 'MovementRecorded', data: { accountId, amount, balance } });

const spec = ProjectionSpecification.for(StatementsProjection);

describe('StatementsProjection', () => {
  it('keeps the balance, the count of movements and the revision', async () => {
    await spec
      .given([opened, moved(500, 500), moved(-200, 300)].map((event) => ({ ...event, streamId })))
      .then('statements', [{ _id: accountId, owner: 'Ada', balance: 300, movements: 2, revision: 2 }]);
  });

  it('records each settlement', async () => {
    const settled: SettlementRecorded = { type: 'SettlementRecorded', data: { transferId: 't-1', outcome: 'completed' } };
    await spec.given([{ ...settled, streamId: 'Settlement-t-1' }]).then('settlements', [{ _id: 't-1', outcome: 'completed', reason: null }]);
  });
});
