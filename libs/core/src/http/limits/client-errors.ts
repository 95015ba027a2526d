import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HTTP_LIMIT_VARIABLES, type HttpLimits } from './http-limits';
import { rawProblem, writeRawProblem } from './raw-problem';

type ClientError = Error & { readonly code?: string };

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any route sees the
 * request (malformed framing, headers too large, a request that did not arrive in time) is
 * answered as problem+json with the security headers, like every other error, and the
 * connection is closed.
 */
export function clientErrorHandler(limits: HttpLimits): (error: ClientError, socket: Duplex) => void {
  return (error, socket) => {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // Node's own rule: answer only if the in-flight response (if any) has not started, or the
    // answer would corrupt the one the client is reading. `_httpMessage` is how Node and
    // Fastify both learn that.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy(error);
      return;
    }
    writeRawProblem(socket, problemFor(error, limits));
  };
}

function problemFor(error: ClientError, limits: HttpLimits) {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return rawProblem(
        408,
        'REQUEST_TIMEOUT',
        `The request did not arrive in time: headers are awaited ${limits.headersTimeoutMs} ms (${HTTP_LIMIT_VARIABLES.headersTimeoutMs}) and a whole request ${limits.requestTimeoutMs} ms (${HTTP_LIMIT_VARIABLES.requestTimeoutMs}). Send it again without pausing.`,
      );
    case 'HPE_HEADER_OVERFLOW':
      return rawProblem(
        431,
        'REQUEST_HEADER_FIELDS_TOO_LARGE',
        `The request line and headers exceed ${limits.maxHeaderBytes} bytes (${HTTP_LIMIT_VARIABLES.maxHeaderBytes}). Send fewer or shorter headers (cookies, tokens).`,
      );
    default:
      return rawProblem(400, 'BAD_REQUEST', `The request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'}). Check its request line, headers and framing.`);
  }
}
