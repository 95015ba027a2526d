import { StrataError } from '@strata/core';
import { ProjectionSpecification } from '@strata/testing';
import type { TransferEvent } from '../events/transfer.events';
import { TransfersProjection } from './transfers.projection';

const transferId = 't-1';
const inStream = (...events: TransferEvent[]) => events.map((event) => ({ ...event, streamId: `Transfer-${transferId}` }));
const requested: TransferEvent = { type: 'TransferRequested', data: { transferId, from: 'a', to: 'b', amount: 10 } };

const spec = ProjectionSpecification.for(TransfersProjection);

describe('TransfersProjection', () => {
  it('keeps a requested transfer as pending', async () => {
    await spec.given(inStream(requested)).deliveredTwice().then('transfers', [{ _id: transferId, from: 'a', to: 'b', amount: 10, status: 'pending', revision: 0 }]);
  });

  it('marks it completed', async () => {
    await spec
      .given(inStream(requested, { type: 'TransferCompleted', data: { transferId } }))
      .deliveredTwice()
      .then('transfers', [{ _id: transferId, from: 'a', to: 'b', amount: 10, status: 'completed', revision: 1 }]);
  });

  it('marks it failed, with the reason', async () => {
    await spec
      .given(inStream(requested, { type: 'TransferFailed', data: { transferId, reason: 'Insufficient funds.' } }))
      .deliveredTwice()
      .then('transfers', [{ _id: transferId, from: 'a', to: 'b', amount: 10, status: 'failed', reason: 'Insufficient funds.', revision: 1 }]);
  });

  it('refuses a settlement of a transfer it never saw requested', async () => {
    await spec
      .given(inStream({ type: 'TransferCompleted', data: { transferId } }))
      .thenThrows(StrataError, (error) => expect(error.code).toBe('TRANSFER_NOT_PROJECTED'));
  });
});
