// Lint fixture: one adapter importing another and its driver. The import-boundary test expects
// eslint to reject both lines; `eslint .` ignores fixtures.
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { kurrentdbAdapter } from '@strata/eventstoredb';

export const forbidden = [KurrentDBClient, kurrentdbAdapter];
