import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { CORRELATION_ID_HEADER } from '../correlation-id';
import { PROBLEM_CONTENT_TYPE, problemTitle, problemType, type ProblemDetails } from '../problem-details';
import { securityHeaders } from '../security-headers';

// A peer that never reads would keep an ended socket open; it gets this long to take the answer.
const LINGER_MS = 1_000;

/** The problem document for an error answered before Fastify has a request. */
export function rawProblem(status: number, code: string, detail: string): ProblemDetails {
  return { type: problemType(code), title: problemTitle(code), status, code, detail };
}

/**
 * Writes a complete problem+json answer straight to a socket, with the security headers and a
 * fresh correlation id, and closes the connection: for errors raised before a request exists
 * (bad framing, oversized headers, timeouts), when no reply object can be used.
 */
export function writeRawProblem(socket: Duplex, problem: ProblemDetails, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(problem);
  const headers: Record<string, string> = {
    'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    Date: new Date().toUTCString(),
    [CORRELATION_ID_HEADER]: randomUUID(),
    ...securityHeaders(),
    ...extraHeaders,
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n${head.join('\r\n')}\r\n\r\n${body}`, () => {
    clearTimeout(linger);
    socket.destroy();
  });
}
