// Lint fixture: a query importing the event store. The import-boundary test expects eslint
// to reject it; `eslint .` ignores fixture files.
import { EventStore } from '@strata/core';

export const forbidden = EventStore;
