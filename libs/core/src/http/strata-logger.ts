import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, Level } from 'pino';
import { ConfigurationError } from '../errors/strata-error';
import { correlationIdOf } from './correlation-id';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface StrataLoggerOptions {
  /** Defaults to `LOG_LEVEL`, then 'info'. */
  readonly level?: Level | 'silent';
  /** Where JSON lines go; defaults to stdout. */
  readonly destination?: DestinationStream;
}

/** `LoggerModule.forRoot` params: one JSON line per request, carrying its correlation id. */
export function strataLoggerParams(options: StrataLoggerOptions = {}): Params {
  const pinoHttp = {
    level: options.level ?? logLevelFromEnv(process.env['LOG_LEVEL']),
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    customProps: (request: IncomingMessage) => ({ correlationId: correlationIdOf(request) }),
    // One compact line per request: who asked for what, and how it ended. Headers stay out
    // (tokens, cookies and keys among them), and so does helmet's dozen response headers.
    serializers: { req: compactRequest, res: compactResponse },
  };
  return {
    pinoHttp: options.destination ? [pinoHttp, options.destination] : pinoHttp,
    // Nest 11 spells "every path" this way; the plain '*' it used to take now logs a warning.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}

/** `LOG_LEVEL`, checked here: pino would otherwise stop the start with a stack trace. */
function logLevelFromEnv(value: string | undefined): string {
  const level = value?.trim().toLowerCase() || 'info';
  if (!LEVELS.includes(level)) {
    throw new ConfigurationError('LOG_LEVEL', `'${value}' is not a log level. Set it to one of: ${LEVELS.join(', ')}.`);
  }
  return level;
}

/** pino-std-serializers' request, of which the log line keeps the essentials. */
interface SerializedRequest {
  readonly id?: unknown;
  readonly method?: string;
  readonly url?: string;
  readonly remoteAddress?: string;
  readonly headers?: Record<string, unknown>;
}

function compactRequest(request: SerializedRequest): Record<string, unknown> {
  return {
    id: request.id,
    method: request.method,
    url: request.url,
    remoteAddress: request.remoteAddress,
    userAgent: request.headers?.['user-agent'],
  };
}

function compactResponse(response: { readonly statusCode?: number }): Record<string, unknown> {
  return { statusCode: response.statusCode };
}
