import type { Event, RecordedEvent, SagaCommandFailed } from '@strata/core';
import type { MoneyDeposited, MoneyWithdrawn } from '../../accounts/events/account.events';
import type { TransferCompleted, TransferFailed, TransferRequested } from '../events/transfer.events';

/** The deadline the saga sets when a transfer starts: delivered on the saga's own stream if the withdrawal is late. */
export type TransferTimedOut = Event<'TransferTimedOut', { transferId: string }>;

/** Every event the transfer saga handles. */
export type TransferSagaEvent = TransferRequested | MoneyWithdrawn | MoneyDeposited | TransferTimedOut | TransferCompleted | TransferFailed;

/** What `handle` receives, discriminated on `type`, the engine's refusals included. */
export type TransferSagaMessage = {
  [T in (TransferSagaEvent | SagaCommandFailed)['type']]: RecordedEvent<Extract<TransferSagaEvent | SagaCommandFailed, { type: T }>>;
}[(TransferSagaEvent | SagaCommandFailed)['type']];

/** The key of the saga's one deadline. */
export const TIMEOUT_KEY = 'timeout';
