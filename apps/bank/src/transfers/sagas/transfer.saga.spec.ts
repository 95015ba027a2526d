import { sagaStreamId } from '@strata/core/adapter';
import { commandFailed, SagaSpecification, timeElapsed } from '@strata/testing';
import { InsufficientFundsError } from '../../accounts/account.errors';
import type { MoneyDeposited, MoneyWithdrawn } from '../../accounts/events/account.events';
import type { TransferCompleted, TransferFailed, TransferRequested } from '../events/transfer.events';
import { TransferSettings } from '../transfer-settings';
import type { TransferTimedOut } from './transfer-saga.messages';
import { TransferSaga } from './transfer.saga';

const transferId = '7d3f9a2e-4b1c-4e8a-9f0d-2c6b5a4e3d21';
const from = 'a1a1a1a1-0000-4000-8000-000000000001';
const to = 'b2b2b2b2-0000-4000-8000-000000000002';
const TIMEOUT_MS = 30_000;

const requested: TransferRequested = { type: 'TransferRequested', data: { transferId, from, to, amount: 100 } };
const withdrawn: MoneyWithdrawn = { type: 'MoneyWithdrawn', data: { accountId: from, amount: 100, transferId } };
const deposited: MoneyDeposited = { type: 'MoneyDeposited', data: { accountId: to, amount: 100, transferId } };
const refunded: MoneyDeposited = { type: 'MoneyDeposited', data: { accountId: from, amount: 100, transferId, refund: true } };
const completed: TransferCompleted = { type: 'TransferCompleted', data: { transferId } };
const failed: TransferFailed = { type: 'TransferFailed', data: { transferId, reason: 'whatever the saga said' } };

// Spelled out as the outbox stores them: each names the decider and the entity it goes to.
const account = (id: string) => ({ decider: 'Account', id });
const transfer = { decider: 'Transfer', id: transferId };
const withdraw = { type: 'WithdrawMoney', data: { accountId: from, amount: 100, transferId }, to: account(from) };
const deposit = { type: 'DepositMoney', data: { accountId: to, amount: 100, transferId }, to: account(to) };
const refund = { type: 'DepositMoney', data: { accountId: from, amount: 100, transferId, refund: true }, to: account(from) };
const complete = { type: 'CompleteTransfer', data: { transferId }, to: transfer };
const fail = (reason: string) => ({ type: 'FailTransfer', data: { transferId, reason }, to: transfer });
const timeout: TransferTimedOut = { type: 'TransferTimedOut', data: { transferId } };

const closed = { code: 'ACCOUNT_CLOSED', message: `Account '${to}' is closed; it takes no more deposits, withdrawals or closing.` };
const depositRefused = `The deposit to account '${to}' was refused: ${closed.message}`;

const spec = SagaSpecification.for(TransferSaga, new TransferSettings(TIMEOUT_MS));

describe('TransferSaga', () => {
  describe('the happy path', () => {
    it('withdraws from the source first, with a deadline on the withdrawal', async () => {
      const started = spec.given([]).when(requested);
      await started.thenDispatches([withdraw]);
      await started.thenSchedules([{ key: 'timeout', after: TIMEOUT_MS, event: timeout }]);
      await started.thenState({ stage: 'withdrawing', from, to, amount: 100 });
    });

    it('deposits to the destination once the withdrawal is in, and drops the deadline', async () => {
      const step = spec.given([requested]).when(withdrawn);
      await step.thenDispatches([deposit]);
      await step.thenCancels(['timeout']);
    });

    it('completes the transfer once the deposit is in', async () => {
      await spec.given([requested, withdrawn]).when(deposited).thenDispatches([complete]);
    });

    it('finishes when the transfer is completed', async () => {
      await spec.given([requested, withdrawn, deposited]).when(completed).thenDone();
    });
  });

  describe('a refused withdrawal', () => {
    it('fails the transfer with the refusal as the reason', async () => {
      const error = new InsufficientFundsError(from, 40, 100);
      const step = spec.given([requested]).whenCommandFails('WithdrawMoney', error);
      await step.thenDispatches([fail(`The withdrawal from account '${from}' was refused: ${error.message}`)]);
      await step.thenCancels(['timeout']);
    });

    it('finishes when the transfer has failed', async () => {
      await spec.given([requested, commandFailed('WithdrawMoney')]).when(failed).thenDone();
    });
  });

  describe('a refused deposit', () => {
    it('returns the money to the source', async () => {
      const refused = spec.given([requested, withdrawn]).whenCommandFails('DepositMoney', closed);
      await refused.thenDispatches([refund]);
      await refused.thenState({ stage: 'refunding', from, to, amount: 100, reason: depositRefused });
    });

    it('fails the transfer once the refund is in, saying the money is back', async () => {
      await spec
        .given([requested, withdrawn, commandFailed('DepositMoney', closed)])
        .when(refunded)
        .thenDispatches([fail(`${depositRefused} The money was returned to account '${from}'.`)]);
    });

    it('says so when the refund is refused too, rather than hiding the money', async () => {
      const sourceClosed = { code: 'ACCOUNT_CLOSED', message: 'closed' };
      await spec
        .given([requested, withdrawn, commandFailed('DepositMoney', closed)])
        .whenCommandFails('DepositMoney', sourceClosed)
        .thenDispatches([fail(`${depositRefused} Returning the money to account '${from}' was refused too (closed); the transfer needs attention.`)]);
    });
  });

  describe('the deadline', () => {
    it('fires after TRANSFER_TIMEOUT_MS without a withdrawal, and waits for the withdrawal’s outcome', async () => {
      const timedOut = spec.given([requested]).whenTimeElapses(TIMEOUT_MS);
      await timedOut.thenFiresDeadline({ key: 'timeout', event: timeout });
      await timedOut.thenDispatches([]);
      await timedOut.thenState({ stage: 'withdrawing', from, to, amount: 100, timedOut: true });
    });

    it('does not fire a moment earlier', async () => {
      await spec.given([requested]).whenTimeElapses(TIMEOUT_MS - 1).thenNothingHappened();
    });

    it('refunds a withdrawal that lands after the deadline, then fails the transfer', async () => {
      await spec.given([requested, timeElapsed(TIMEOUT_MS)]).when(withdrawn).thenDispatches([refund]);
      await spec
        .given([requested, timeElapsed(TIMEOUT_MS), withdrawn])
        .when(refunded)
        .thenDispatches([fail(`No progress within ${TIMEOUT_MS} ms: the withdrawal came too late. The money was returned to account '${from}'.`)]);
    });

    it('fails the transfer with the refusal when the late withdrawal is refused', async () => {
      await spec
        .given([requested, timeElapsed(TIMEOUT_MS)])
        .whenCommandFails('WithdrawMoney', { code: 'ACCOUNT_NOT_FOUND', message: 'gone' })
        .thenDispatches([fail(`The withdrawal from account '${from}' was refused: gone`)]);
    });

    it('never fires once the withdrawal is in', async () => {
      await spec.given([requested, withdrawn]).whenTimeElapses(10 * TIMEOUT_MS).thenNothingHappened();
    });

    it('ignores a timeout that raced the withdrawal and arrived after it', async () => {
      const stale = { ...timeout, streamId: sagaStreamId('transfer', transferId) };
      await spec.given([requested, withdrawn]).when(stale).thenNothingHappened();
    });
  });

  describe('settling', () => {
    it('sends a settling command again when the dispatcher gave up on it', async () => {
      const gaveUp = { code: 'DISPATCH_FAILED', message: 'Gave up after 5 attempts: database is locked' };
      await spec
        .given([requested, withdrawn, deposited])
        .whenCommandFails('CompleteTransfer', gaveUp)
        .thenDispatches([complete]);
    });

    it('finishes when a settling command is refused by the transfer itself', async () => {
      const settled = { code: 'TRANSFER_SETTLED', message: 'already failed' };
      await spec.given([requested, withdrawn, deposited]).whenCommandFails('CompleteTransfer', settled).thenDone();
    });
  });

  describe('what is not its business', () => {
    it('ignores plain deposits and withdrawals, which carry no transfer id', async () => {
      await spec.given([requested]).when({ type: 'MoneyWithdrawn', data: { accountId: from, amount: 100 } }).thenNothingHappened();
    });

    it('ignores legs that do not match the stage it is in', async () => {
      await spec.given([requested]).when(deposited).thenNothingHappened();
      await spec.given([requested, withdrawn]).when(withdrawn).thenNothingHappened();
      await spec.given([requested, withdrawn]).when(refunded).thenNothingHappened();
    });

    it('ignores everything once finished', async () => {
      await spec.given([requested, withdrawn, deposited, completed]).when(refunded).thenNothingHappened();
    });
  });
});
