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
    redact: ['req.headers.authorization', 'req.headers.cookie'],
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
