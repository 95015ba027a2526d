import type { IncomingMessage } from 'node:http';

/** A Fastify request (which wraps the Node one in `raw`) or a Node request. */
export type RequestLike = IncomingMessage | { readonly raw: IncomingMessage };

/** The Node request underneath, which per-request state (correlation id, principal) is keyed by. */
export function rawOf(request: RequestLike): IncomingMessage {
  return 'raw' in request ? request.raw : request;
}
