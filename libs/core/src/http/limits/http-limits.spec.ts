import { ConfigurationError } from '../../errors/strata-error';
import { DEFAULT_HTTP_LIMITS, httpLimitsFrom } from './http-limits';

function refusal(env: Record<string, string>): ConfigurationError {
  try {
    httpLimitsFrom(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('httpLimitsFrom', () => {
  it('uses the defaults when nothing is set', () => {
    expect(httpLimitsFrom({})).toEqual(DEFAULT_HTTP_LIMITS);
  });

  it('reads every limit from its variable', () => {
    const limits = httpLimitsFrom({
      STRATA_HTTP_BODY_LIMIT_BYTES: '2048',
      STRATA_HTTP_HEADERS_TIMEOUT_MS: '1500',
      STRATA_HTTP_BODY_TIMEOUT_MS: '2500',
      STRATA_HTTP_REQUEST_TIMEOUT_MS: '4000',
      STRATA_HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000',
      STRATA_HTTP_MAX_REQUESTS_PER_CONNECTION: '0',
      STRATA_HTTP_MAX_HEADER_BYTES: '8192',
      STRATA_HTTP_MAX_CONNECTIONS: '40',
      STRATA_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '10',
      STRATA_HTTP_JSON_MAX_DEPTH: '8',
    });
    expect(limits).toEqual({
      bodyLimitBytes: 2048,
      headersTimeoutMs: 1500,
      bodyTimeoutMs: 2500,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 3000,
      maxRequestsPerConnection: 0,
      maxHeaderBytes: 8192,
      maxConnections: 40,
      maxConnectionsPerAddress: 10,
      jsonMaxDepth: 8,
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['a word', { STRATA_HTTP_BODY_TIMEOUT_MS: 'soon' }, 'STRATA_HTTP_BODY_TIMEOUT_MS'],
    ['a negative number', { STRATA_HTTP_MAX_CONNECTIONS: '-1' }, 'STRATA_HTTP_MAX_CONNECTIONS'],
    ['a fraction', { STRATA_HTTP_JSON_MAX_DEPTH: '2.5' }, 'STRATA_HTTP_JSON_MAX_DEPTH'],
    ['a zero depth', { STRATA_HTTP_JSON_MAX_DEPTH: '0' }, 'STRATA_HTTP_JSON_MAX_DEPTH'],
    ['a timeout under 100 ms', { STRATA_HTTP_HEADERS_TIMEOUT_MS: '5' }, 'STRATA_HTTP_HEADERS_TIMEOUT_MS'],
    ['headers slower than the whole request', { STRATA_HTTP_HEADERS_TIMEOUT_MS: '20000', STRATA_HTTP_REQUEST_TIMEOUT_MS: '10000' }, 'STRATA_HTTP_HEADERS_TIMEOUT_MS'],
    ['a per-address cap over the total', { STRATA_HTTP_MAX_CONNECTIONS: '10', STRATA_HTTP_MAX_CONNECTIONS_PER_ADDRESS: '11' }, 'STRATA_HTTP_MAX_CONNECTIONS_PER_ADDRESS'],
  ])('refuses %s in one line naming %s', (_case, env, variable) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: `));
    expect(error.message).not.toContain('\n');
  });
});
