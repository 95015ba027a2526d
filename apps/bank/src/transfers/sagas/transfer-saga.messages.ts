import type { DeciderSagaCommand, Event, SagaMessage } from '@strata/core';
import type { accountDecider } from '../../accounts/account.decider';
import type { MoneyDeposited, MoneyWithdrawn } from '../../accounts/events/account.events';
import type { TransferCompleted, TransferFailed, TransferRequested } from '../events/transfer.events';
import type { transferDecider } from '../transfer.decider';

/** The deadline the saga sets when a transfer starts: delivered on the saga's own stream if the withdrawal is late. */
export type TransferTimedOut = Event<'TransferTimedOut', { transferId: string }>;

/** Every event the transfer saga handles. */
export type TransferSagaEvent = TransferRequested | MoneyWithdrawn | MoneyDeposited | TransferTimedOut | TransferCompleted | TransferFailed;

/** What `handle` receives, discriminated on `type`, the engine's refusals included. */
export type TransferSagaMessage = SagaMessage<TransferSagaEvent>;

/** What the saga sends: commands of the account and transfer deciders, made with `commandFor`. */
export type TransferSagaCommand = DeciderSagaCommand<typeof accountDecider | typeof transferDecider>;

/** The key of the saga's one deadline. */
export const TIMEOUT_KEY = 'timeout';
