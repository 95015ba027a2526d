import type { IncomingMessage } from 'node:http';

/** Who sent a request, as a verified bearer token says. */
export interface Principal {
  /** The token's `sub`: the user that commands are recorded for and that owns what they create. */
  readonly subject: string;
  /** Every verified claim, for application rules beyond ownership. */
  readonly claims: Readonly<Record<string, unknown>>;
}

// Keyed by the raw request, as the correlation id is, so guard and decorators agree on one value.
const principals = new WeakMap<IncomingMessage, Principal>();

/** Records the verified principal of a request (the auth guard does this). */
export function setPrincipal(request: IncomingMessage, principal: Principal): void {
  principals.set(request, principal);
}

/** The verified principal of a request; undefined when auth is off or the route is public. */
export function principalOf(request: IncomingMessage): Principal | undefined {
  return principals.get(request);
}
