import type { AggregateHandle } from '@strata/core';
import type { TransferCommand, TransferState } from '../transfer.decider';
import type { TransferEvent } from '../events/transfer.events';

/** The transfer decider bound to the event store, as `@InjectDecider(transferDecider)` gives it. */
export type TransferHandle = AggregateHandle<TransferCommand, TransferEvent, TransferState>;
