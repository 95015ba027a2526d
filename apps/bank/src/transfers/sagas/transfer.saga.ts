import { commandFor, Saga, type RecordedEvent, type SagaCommandFailed, type SagaContext, type SagaHandler, type SagaReaction } from '@strata/core';
import { accountDecider } from '../../accounts/account.decider';
import type { TransferRequested } from '../events/transfer.events';
import { transferDecider } from '../transfer.decider';
import { TransferSettings } from '../transfer-settings';
import { TIMEOUT_KEY, type TransferSagaCommand, type TransferSagaEvent, type TransferSagaMessage } from './transfer-saga.messages';
import type { TransferSagaState } from './transfer-saga.state';

type Reaction = SagaReaction<TransferSagaState, TransferSagaCommand>;

/**
 * Moves a transfer's money: withdraw from `from`, deposit to `to`, then complete the transfer.
 * A refused withdrawal fails it; a refused deposit is refunded to `from`, then the transfer fails.
 * The transfer is settled (completed or failed) only once no money is on its way, so a settled
 * transfer always means the balances add up.
 *
 * Only the withdrawal has a deadline: until it is seen, the money can still stay where it is.
 * Once the deposit is sent, its outcome decides the transfer; that outcome always arrives (the
 * deposit, its refusal, or the dispatcher giving up, which is a refusal too), so a deadline there
 * could only wait for it as well. A withdrawal seen after the deadline is refunded.
 */
@Saga({
  name: 'transfer',
  version: 1,
  handles: ['TransferRequested', 'MoneyWithdrawn', 'MoneyDeposited', 'TransferTimedOut', 'TransferCompleted', 'TransferFailed'],
  startedBy: ['TransferRequested'],
})
export class TransferSaga implements SagaHandler<TransferSagaState, TransferSagaEvent, TransferSagaCommand> {
  constructor(private readonly settings: TransferSettings) {}

  correlate(event: RecordedEvent<TransferSagaEvent>): string | null {
    // Plain deposits and withdrawals carry no transfer id, and belong to no instance.
    return event.data.transferId ?? null;
  }

  initialState(): TransferSagaState {
    return { stage: 'withdrawing', from: '', to: '', amount: 0 };
  }

  handle(state: TransferSagaState, event: TransferSagaMessage, { instanceId }: SagaContext): Reaction {
    const legs = new Legs(instanceId, state);
    switch (event.type) {
      case 'TransferRequested':
        return this.start(event.data);
      case 'MoneyWithdrawn':
        if (state.stage !== 'withdrawing' || event.data.accountId !== state.from) return { state };
        if (state.timedOut) return legs.refund(`No progress within ${this.settings.timeoutMs} ms: the withdrawal came too late.`);
        return { state: { ...state, stage: 'depositing' }, commands: [legs.deposit()], cancel: [TIMEOUT_KEY] };
      case 'MoneyDeposited':
        if (event.data.refund === true) {
          return state.stage === 'refunding' && event.data.accountId === state.from ? legs.fail(`${state.reason} The money was returned to account '${state.from}'.`) : { state };
        }
        return state.stage === 'depositing' && event.data.accountId === state.to ? legs.complete() : { state };
      case 'TransferTimedOut':
        // The withdrawal may still be in flight: wait for its outcome, and refund it if it happens.
        return state.stage === 'withdrawing' ? { state: { ...state, timedOut: true } } : { state };
      case 'SagaCommandFailed':
        return refused(legs, state, event.data);
      case 'TransferCompleted':
      case 'TransferFailed':
        return { state, done: true };
    }
  }

  private start({ transferId, from, to, amount, requestedBy }: TransferRequested['data']): Reaction {
    const state: TransferSagaState = { stage: 'withdrawing', from, to, amount, ...(requestedBy === undefined ? {} : { requestedBy }) };
    return {
      state,
      commands: [new Legs(transferId, state).withdraw()],
      schedule: [{ key: TIMEOUT_KEY, after: this.settings.timeoutMs, event: { type: 'TransferTimedOut', data: { transferId } } }],
    };
  }
}

/** The saga's answer to a refusal the engine delivered; a refusal the stage no longer waits for changes nothing. */
function refused(legs: Legs, state: TransferSagaState, { command, error }: SagaCommandFailed['data']): Reaction {
  const { from, to, stage } = state;
  switch (command.type) {
    case 'WithdrawMoney':
      return stage === 'withdrawing' ? { ...legs.fail(`The withdrawal from account '${from}' was refused: ${error.message}`), cancel: [TIMEOUT_KEY] } : { state };
    case 'DepositMoney':
      if (command.data['refund'] === true) {
        // Nowhere left to put the money (the source closed meanwhile): say so rather than hide it.
        const reason = `${state.reason} Returning the money to account '${from}' was refused too (${error.message}); the transfer needs attention.`;
        return stage === 'refunding' ? legs.fail(reason) : { state };
      }
      return stage === 'depositing' ? legs.refund(`The deposit to account '${to}' was refused: ${error.message}`) : { state };
    case 'CompleteTransfer':
    case 'FailTransfer':
      // Refused only if the dispatcher gave up on a failing store: send it again (settling twice is a no-op).
      return error.code === 'DISPATCH_FAILED' ? { state, commands: [command as TransferSagaCommand] } : { state, done: true };
  }
  return { state };
}

/** The commands of one transfer instance, and the stage each one moves it to. */
class Legs {
  constructor(
    private readonly transferId: string,
    private readonly state: TransferSagaState,
  ) {}

  withdraw(): TransferSagaCommand {
    const { from, amount, requestedBy } = this.state;
    const requester = requestedBy === undefined ? {} : { requestedBy };
    return commandFor(accountDecider, from, { type: 'WithdrawMoney', accountId: from, amount, transferId: this.transferId, ...requester });
  }

  deposit(): TransferSagaCommand {
    const { to, amount } = this.state;
    return commandFor(accountDecider, to, { type: 'DepositMoney', accountId: to, amount, transferId: this.transferId });
  }

  refund(reason: string): Reaction {
    const { from, amount } = this.state;
    const command = commandFor(accountDecider, from, { type: 'DepositMoney', accountId: from, amount, transferId: this.transferId, refund: true });
    return { state: { ...this.state, stage: 'refunding', reason }, commands: [command] };
  }

  complete(): Reaction {
    const command = commandFor(transferDecider, this.transferId, { type: 'CompleteTransfer', transferId: this.transferId });
    return { state: { ...this.state, stage: 'completing' }, commands: [command] };
  }

  fail(reason: string): Reaction {
    const command = commandFor(transferDecider, this.transferId, { type: 'FailTransfer', transferId: this.transferId, reason });
    return { state: { ...this.state, stage: 'failing', reason }, commands: [command] };
  }
}
