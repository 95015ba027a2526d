import { DeciderSpecification } from '@strata/testing';
import { InvalidAmountError } from '../accounts/account.errors';
import type { TransferCompleted, TransferFailed, TransferRequested } from './events/transfer.events';
import { transferDecider, type TransferCommand } from './transfer.decider';
import { SameAccountTransferError, TransferAlreadyRequestedError, TransferNotFoundError, TransferSettledError } from './transfer.errors';

const transferId = 't-1';
const requested: TransferRequested = { type: 'TransferRequested', data: { transferId, from: 'a', to: 'b', amount: 10 } };
const completed: TransferCompleted = { type: 'TransferCompleted', data: { transferId } };
const failed: TransferFailed = { type: 'TransferFailed', data: { transferId, reason: 'no' } };

const request = (from = 'a', to = 'b', amount = 10): TransferCommand => ({ type: 'RequestTransfer', transferId, from, to, amount });
const complete: TransferCommand = { type: 'CompleteTransfer', transferId };
const fail: TransferCommand = { type: 'FailTransfer', transferId, reason: 'no' };

const spec = DeciderSpecification.for(transferDecider);

describe('transferDecider', () => {
  it('records a request once', () => {
    spec.given([]).when(request()).then([requested]);
    spec.given([requested]).when(request()).thenThrows(TransferAlreadyRequestedError);
  });

  it('refuses a transfer between one account and itself, or of no money', () => {
    spec.given([]).when(request('a', 'a')).thenThrows(SameAccountTransferError);
    spec.given([]).when(request('a', 'b', 0)).thenThrows(InvalidAmountError);
  });

  it('settles a pending transfer either way', () => {
    spec.given([requested]).when(complete).then([completed]);
    spec.given([requested]).when(fail).then([failed]);
  });

  it('takes settling the same way again as done, and refuses the other way', () => {
    spec.given([requested, completed]).when(complete).thenNothingHappened();
    spec.given([requested, failed]).when(fail).thenNothingHappened();
    spec.given([requested, completed]).when(fail).thenThrows(TransferSettledError, (error) => expect(error.status).toBe('completed'));
    spec.given([requested, failed]).when(complete).thenThrows(TransferSettledError);
  });

  it('refuses to settle a transfer never requested', () => {
    spec.given([]).when(complete).thenThrows(TransferNotFoundError);
    spec.given([]).when(fail).thenThrows(TransferNotFoundError);
  });
});
