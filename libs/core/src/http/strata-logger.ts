import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, Level } from 'pino';
import pretty from 'pino-pretty';
import { ConfigurationError } from '../errors/strata-error';
import type { Environment } from '../module/strata-adapter';
import { correlationIdOf } from './correlation-id';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** How log lines are written: one JSON object per line (production), or coloured text for a terminal. */
export type LogFormat = 'json' | 'pretty';
const FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** How a Strata app logs. */
export interface StrataLoggerOptions {
  /** Defaults to `LOG_LEVEL`, then 'info'. */
  readonly level?: Level | 'silent';
  /** Defaults to `LOG_FORMAT`, then 'json'. */
  readonly format?: LogFormat;
  /** Where lines go; defaults to stdout. */
  readonly destination?: DestinationStream;
  /** Where `LOG_LEVEL` and `LOG_FORMAT` are read; defaults to `process.env`. */
  readonly env?: Environment;
}

/** `LoggerModule.forRoot` params: one JSON line per request, carrying its correlation id. */
export function strataLoggerParams(options: StrataLoggerOptions = {}): Params {
  const env = options.env ?? process.env;
  const level = options.level ?? logLevelFromEnv(env['LOG_LEVEL']);
  const format = options.format ?? logFormatFromEnv(env['LOG_FORMAT']);
  const pinoHttp = {
    level,
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    customProps: (request: IncomingMessage) => ({ correlationId: correlationIdOf(request) }),
    // One compact line per request: who asked for what, and how it ended. Headers stay out
    // (tokens, cookies and keys among them), and so does helmet's dozen response headers.
    serializers: { req: compactRequest, res: compactResponse },
  };
  // pino-pretty as a stream in this thread, writing synchronously, not a worker transport: the
  // last lines before an exit (a start failure, say) must reach the developer's terminal.
  const destination =
    format === 'pretty'
      ? pretty({ sync: true, colorize: options.destination === undefined, ...(options.destination && { destination: options.destination }) })
      : options.destination;
  return {
    pinoHttp: destination ? [pinoHttp, destination] : pinoHttp,
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

/** `LOG_FORMAT`, checked here, so a typo is a one-line start failure rather than JSON by surprise. */
function logFormatFromEnv(value: string | undefined): LogFormat {
  const format = value?.trim().toLowerCase() || 'json';
  const known = FORMATS.find((candidate) => candidate === format);
  if (known === undefined) {
    throw new ConfigurationError('LOG_FORMAT', `'${value}' is not a log format. Set it to one of: ${FORMATS.join(', ')} (json is the default, pretty is for a terminal).`);
  }
  return known;
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
