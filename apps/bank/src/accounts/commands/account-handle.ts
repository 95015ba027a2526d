import type { AggregateHandle } from '@strata/core';
import type { AccountCommand, AccountState } from '../account.decider';
import type { AccountEvent } from '../events/account.events';

/** The account decider bound to the event store, as `@InjectDecider(accountDecider)` gives it. */
export type AccountHandle = AggregateHandle<AccountCommand, AccountEvent, AccountState>;
