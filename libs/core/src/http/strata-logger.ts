import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, Level } from 'pino';
import { correlationIdOf } from './correlation-id';

export interface StrataLoggerOptions {
  /** Defaults to `LOG_LEVEL`, then 'info'. */
  readonly level?: Level | 'silent';
  /** Where JSON lines go; defaults to stdout. */
  readonly destination?: DestinationStream;
}

/** `LoggerModule.forRoot` params: one JSON line per request, carrying its correlation id. */
export function strataLoggerParams(options: StrataLoggerOptions = {}): Params {
  const pinoHttp = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
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
