import { ConfigurationError } from '../../errors/strata-error';
import type { Environment } from '../../module/strata-adapter';
import { wholeSetting } from '../../observability/env-settings';

/** How much a client may ask of the HTTP server before it is answered with an error or cut off. */
export interface HttpLimits {
  /** The largest request body accepted; a larger one is a 413. */
  readonly bodyLimitBytes: number;
  /** The request line and headers must arrive within this, or the connection gets a 408 and is closed. */
  readonly headersTimeoutMs: number;
  /** Once the headers are in, the body must arrive in full within this (a trickled body is a 408). */
  readonly bodyTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this. */
  readonly requestTimeoutMs: number;
  /** How long an idle kept-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Requests one connection may carry before the server closes it (0: no limit). */
  readonly maxRequestsPerConnection: number;
  /** The largest request line plus headers; larger is a 431. */
  readonly maxHeaderBytes: number;
  /** Open connections at once; those beyond are answered 503 and closed. */
  readonly maxConnections: number;
  /** Open connections at once from one client address; those beyond are answered 503 and closed. */
  readonly maxConnectionsPerAddress: number;
  /** How deeply arrays and objects may nest in a JSON body; deeper is a 400. */
  readonly jsonMaxDepth: number;
}

/** The variable behind each limit, so errors and docs name the one to change. */
export const HTTP_LIMIT_VARIABLES: Readonly<Record<keyof HttpLimits, string>> = Object.freeze({
  bodyLimitBytes: 'STRATA_HTTP_BODY_LIMIT_BYTES',
  headersTimeoutMs: 'STRATA_HTTP_HEADERS_TIMEOUT_MS',
  bodyTimeoutMs: 'STRATA_HTTP_BODY_TIMEOUT_MS',
  requestTimeoutMs: 'STRATA_HTTP_REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'STRATA_HTTP_KEEP_ALIVE_TIMEOUT_MS',
  maxRequestsPerConnection: 'STRATA_HTTP_MAX_REQUESTS_PER_CONNECTION',
  maxHeaderBytes: 'STRATA_HTTP_MAX_HEADER_BYTES',
  maxConnections: 'STRATA_HTTP_MAX_CONNECTIONS',
  maxConnectionsPerAddress: 'STRATA_HTTP_MAX_CONNECTIONS_PER_ADDRESS',
  jsonMaxDepth: 'STRATA_HTTP_JSON_MAX_DEPTH',
});

/**
 * The defaults: tight enough that a few hundred slow clients cannot hold the server (a body
 * trickled a byte at a time is cut after 10 s), loose enough for any honest client. The
 * keep-alive timeout is Fastify's 72 s, longer than the idle timeout of common load
 * balancers (60 s), so the server never closes a connection a balancer is about to reuse.
 */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  bodyLimitBytes: 1_048_576,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
  maxRequestsPerConnection: 10_000,
  maxHeaderBytes: 16_384,
  maxConnections: 512,
  maxConnectionsPerAddress: 128,
  jsonMaxDepth: 64,
});

const RANGES: Readonly<Record<keyof HttpLimits, readonly [number, number]>> = {
  bodyLimitBytes: [1, 1_073_741_824],
  headersTimeoutMs: [100, 600_000],
  bodyTimeoutMs: [100, 3_600_000],
  requestTimeoutMs: [100, 3_600_000],
  keepAliveTimeoutMs: [100, 3_600_000],
  maxRequestsPerConnection: [0, 100_000_000],
  maxHeaderBytes: [1_024, 1_048_576],
  maxConnections: [1, 1_000_000],
  maxConnectionsPerAddress: [1, 1_000_000],
  jsonMaxDepth: [1, 1_000],
};

/**
 * Reads the `STRATA_HTTP_*` limits over the defaults (`overrides` win over both, for tests);
 * an invalid or inconsistent value is a `ConfigurationError` naming the variable.
 */
export function httpLimitsFrom(env: Environment, overrides: Partial<HttpLimits> = {}): HttpLimits {
  const read = (key: keyof HttpLimits): number => {
    const [min, max] = RANGES[key];
    return overrides[key] ?? wholeSetting(env, HTTP_LIMIT_VARIABLES[key], DEFAULT_HTTP_LIMITS[key], min, max);
  };
  const limits: HttpLimits = {
    bodyLimitBytes: read('bodyLimitBytes'),
    headersTimeoutMs: read('headersTimeoutMs'),
    bodyTimeoutMs: read('bodyTimeoutMs'),
    requestTimeoutMs: read('requestTimeoutMs'),
    keepAliveTimeoutMs: read('keepAliveTimeoutMs'),
    maxRequestsPerConnection: read('maxRequestsPerConnection'),
    maxHeaderBytes: read('maxHeaderBytes'),
    maxConnections: read('maxConnections'),
    maxConnectionsPerAddress: read('maxConnectionsPerAddress'),
    jsonMaxDepth: read('jsonMaxDepth'),
  };
  // Node refuses a server whose headers may take longer than the whole request.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigurationError(
      HTTP_LIMIT_VARIABLES.headersTimeoutMs,
      `${limits.headersTimeoutMs} ms is longer than ${HTTP_LIMIT_VARIABLES.requestTimeoutMs} (${limits.requestTimeoutMs} ms), which the headers are part of. Lower it, or raise the request timeout.`,
    );
  }
  if (limits.maxConnectionsPerAddress > limits.maxConnections) {
    throw new ConfigurationError(
      HTTP_LIMIT_VARIABLES.maxConnectionsPerAddress,
      `${limits.maxConnectionsPerAddress} is more than ${HTTP_LIMIT_VARIABLES.maxConnections} (${limits.maxConnections}). Lower it, or raise the total.`,
    );
  }
  return limits;
}
