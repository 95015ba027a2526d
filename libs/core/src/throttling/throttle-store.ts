import type { ThrottlerStorage } from '@nestjs/throttler';
import { ConfigurationError } from '../errors/strata-error';
import type { Environment } from '../module/strata-adapter';

/** Where the request counts live: `memory` (each instance its own) or a store shared by every instance. */
export const THROTTLE_STORE_VARIABLE = 'STRATA_THROTTLE_STORE';
/** The default store: counts in this process only. */
export const MEMORY_THROTTLE_STORE = 'memory';

/** Request counts shared by every instance, so a client's limit holds across all of them. */
export interface SharedThrottlerStorage extends ThrottlerStorage {
  /** Ends its connections at shutdown. */
  close(): Promise<void>;
}

/** A shared throttler store that `STRATA_THROTTLE_STORE` can select by name (e.g. `postgresThrottleStore()`). */
export interface ThrottleStore {
  readonly name: string;
  /** Reads and validates its own settings (throwing `ConfigurationError`), and is ready to count when it resolves. */
  create(env: Environment): Promise<SharedThrottlerStorage>;
}

/** The store `STRATA_THROTTLE_STORE` names among `stores`, or null for `memory` (the default). */
export function selectThrottleStore(env: Environment, stores: readonly ThrottleStore[]): ThrottleStore | null {
  const name = env[THROTTLE_STORE_VARIABLE]?.trim() || MEMORY_THROTTLE_STORE;
  if (name === MEMORY_THROTTLE_STORE) return null;
  const store = stores.find((candidate) => candidate.name === name);
  if (!store) {
    const known = [MEMORY_THROTTLE_STORE, ...stores.map((candidate) => candidate.name)].join(', ');
    throw new ConfigurationError(THROTTLE_STORE_VARIABLE, `'${name}' is not a throttle store this app registered: use one of ${known}.`);
  }
  return store;
}
