import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { HTTP_LIMIT_VARIABLES, type HttpLimits } from './http-limits';
import { rawProblem } from './raw-problem';
import type { ProblemDetails } from '../problem-details';

/** Which open connections are over a cap, and why: the first request on one is answered 503. */
export interface ConnectionCaps {
  /** The problem to answer a request on this connection with, or undefined when it is within the caps. */
  refusalOf(socket: Socket): ProblemDetails | undefined;
}

/**
 * Counts open connections, in total and per client address, as the server accepts them. A
 * connection over either cap is kept just long enough to answer its first request with a 503
 * problem (a silent close would read as a network fault), then closed. Past a quarter more
 * than the total cap, Node closes new connections at accept, unanswered: that is the backstop
 * that keeps file descriptors for the app itself.
 */
export function trackConnectionCaps(server: Server, limits: Pick<HttpLimits, 'maxConnections' | 'maxConnectionsPerAddress'>): ConnectionCaps {
  const perAddress = new Map<string, number>();
  const refused = new WeakMap<Socket, ProblemDetails>();
  let open = 0;
  server.maxConnections = limits.maxConnections + Math.ceil(limits.maxConnections / 4);
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = (perAddress.get(address) ?? 0) + 1;
    perAddress.set(address, fromAddress);
    open += 1;
    if (open > limits.maxConnections) {
      refused.set(socket, tooMany(`The server holds its maximum of ${limits.maxConnections} open connections (${HTTP_LIMIT_VARIABLES.maxConnections}).`));
    } else if (fromAddress > limits.maxConnectionsPerAddress) {
      refused.set(socket, tooMany(`Your address holds its maximum of ${limits.maxConnectionsPerAddress} open connections (${HTTP_LIMIT_VARIABLES.maxConnectionsPerAddress}).`));
    }
    socket.once('close', () => {
      open -= 1;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
  return { refusalOf: (socket) => refused.get(socket) };
}

function tooMany(reason: string): ProblemDetails {
  return rawProblem(503, 'TOO_MANY_CONNECTIONS', `${reason} Reuse a kept-alive connection, or retry once others have closed.`);
}
