import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header that carries a request's correlation id, in and out. */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether a client-sent correlation id is acceptable: 1..128 chars of `[A-Za-z0-9._:-]`. */
export function isValidCorrelationId(value: string): boolean {
  return CORRELATION_ID.test(value);
}

// Keyed by the raw request, so the logger, the hook and the command context, whichever runs
// first, all agree on one id per request.
const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The correlation id of a request: its valid `X-Correlation-Id`, or a fresh UUID. An invalid
 * header is replaced here and rejected (400) where a command context is parsed, so garbage
 * never reaches logs or events.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const known = assigned.get(request);
  if (known !== undefined) return known;
  const sent = request.headers[CORRELATION_ID_HEADER.toLowerCase()];
  const id = typeof sent === 'string' && isValidCorrelationId(sent) ? sent : randomUUID();
  assigned.set(request, id);
  return id;
}

/** Sets `X-Correlation-Id` on the response to the request's correlation id. */
export function echoCorrelationId(request: IncomingMessage, response: ServerResponse): void {
  if (!response.headersSent) response.setHeader(CORRELATION_ID_HEADER, correlationIdOf(request));
}
