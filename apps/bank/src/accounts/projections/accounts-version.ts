import { ConfigurationError, type Environment } from '@strata/core';

/** Picks the accounts projection's version, so two processes of one build can run blue-green. */
export const ACCOUNTS_VERSION_VARIABLE = 'BANK_ACCOUNTS_VERSION';

/** The versions this build knows: 2 adds `lastActivityAt` to each account. */
export type AccountsVersion = 1 | 2;

/** Reads `BANK_ACCOUNTS_VERSION` (default 1), refusing anything but 1 or 2. */
export function accountsVersionFrom(env: Environment): AccountsVersion {
  const text = env[ACCOUNTS_VERSION_VARIABLE]?.trim();
  if (!text || text === '1') return 1;
  if (text === '2') return 2;
  throw new ConfigurationError(ACCOUNTS_VERSION_VARIABLE, `'${text}' is not a version of the accounts projection this build has: use 1 or 2.`);
}
