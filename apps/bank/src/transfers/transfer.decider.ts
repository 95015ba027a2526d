import type { Decider } from '@strata/core';
import { InvalidAmountError } from '../accounts/account.errors';
import type { TransferEvent } from './events/transfer.events';
import { SameAccountTransferError, TransferAlreadyRequestedError, TransferNotFoundError, TransferSettledError } from './transfer.errors';

export type TransferCommand =
  | { readonly type: 'RequestTransfer'; readonly transferId: string; readonly from: string; readonly to: string; readonly amount: number; readonly requestedBy?: string }
  | { readonly type: 'CompleteTransfer'; readonly transferId: string }
  | { readonly type: 'FailTransfer'; readonly transferId: string; readonly reason: string };

export interface TransferState {
  readonly status: 'none' | 'pending' | 'completed' | 'failed';
}

/**
 * A money transfer's own record: requested, then completed or failed, once. The money itself
 * moves on the accounts, driven by the transfer saga; this stream is what clients read.
 */
export const transferDecider: Decider<TransferCommand, TransferEvent, TransferState> = {
  category: 'Transfer',

  initialState: () => ({ status: 'none' }),

  evolve(_state, event) {
    switch (event.type) {
      case 'TransferRequested':
        return { status: 'pending' };
      case 'TransferCompleted':
        return { status: 'completed' };
      case 'TransferFailed':
        return { status: 'failed' };
    }
  },

  decide(command, state) {
    const { transferId } = command;
    switch (command.type) {
      case 'RequestTransfer': {
        if (state.status !== 'none') throw new TransferAlreadyRequestedError(transferId);
        const { from, to, amount } = command;
        if (!Number.isSafeInteger(amount) || amount <= 0) throw new InvalidAmountError(amount);
        if (from === to) throw new SameAccountTransferError(from);
        const requestedBy = command.requestedBy === undefined ? {} : { requestedBy: command.requestedBy };
        return [{ type: 'TransferRequested', data: { transferId, from, to, amount, ...requestedBy } }];
      }
      case 'CompleteTransfer':
        // Settling the same way twice changes nothing: the saga may send it again after a failed dispatch.
        return settle(state, transferId, 'completed', () => ({ type: 'TransferCompleted', data: { transferId } }));
      case 'FailTransfer':
        return settle(state, transferId, 'failed', () => ({ type: 'TransferFailed', data: { transferId, reason: command.reason } }));
    }
  },
};

function settle(state: TransferState, transferId: string, to: 'completed' | 'failed', event: () => TransferEvent): TransferEvent[] {
  if (state.status === 'none') throw new TransferNotFoundError(transferId);
  if (state.status === to) return [];
  if (state.status !== 'pending') throw new TransferSettledError(transferId, state.status);
  return [event()];
}
