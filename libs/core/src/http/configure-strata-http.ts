import type { IncomingMessage } from 'node:http';
import { ValidationPipe, type NestApplicationOptions } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { correlationIdOf, echoCorrelationId } from './correlation-id';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { ProblemDetailsFilter } from './problem-details.filter';
import { toProblemDetails } from './to-problem-details';
import { validationExceptionFactory } from './request-validation-error';
import { applyHttpLimits, fastifyLimitOptions } from './limits/apply-http-limits';
import { DEFAULT_HTTP_LIMITS, httpLimitsFrom, type HttpLimits } from './limits/http-limits';

/** The largest request body accepted by default (1 MiB; `STRATA_HTTP_BODY_LIMIT_BYTES`); larger ones are a 413. */
export const STRATA_BODY_LIMIT = DEFAULT_HTTP_LIMITS.bodyLimitBytes;

/**
 * The Fastify adapter a Strata app is created with, enforcing `limits` (by default the
 * `STRATA_HTTP_*` settings of this process's environment; see `httpLimitsFrom`).
 */
export function createStrataFastifyAdapter(limits: HttpLimits = httpLimitsFrom(process.env)): FastifyAdapter {
  // Fastify's request id is what middleware (pino-http among them) sees as `req.id`, so it
  // must be the correlation id rather than Fastify's own counter.
  const adapter = new FastifyAdapter({
    ...fastifyLimitOptions(limits),
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    // A path Fastify's router refuses before routing (a malformed escape 400, an overlong
    // parameter 414) never reaches Nest's filters: answer it as problem+json here.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      echoCorrelationId(request.raw, reply.raw);
      const problem = toProblemDetails(error, request.url.split('?')[0]);
      void reply.code(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
    },
  });
  applyHttpLimits(adapter.getInstance(), limits);
  return adapter;
}

/**
 * `NestFactory.create` options for a Strata app. Logs are buffered until the pino logger is
 * installed. Nest's body parsers stay off: they would add a form-urlencoded one, and Strata
 * takes JSON only, because form and text bodies are what a cross-site form can send without
 * a CORS preflight.
 */
export const STRATA_APP_OPTIONS: Readonly<NestApplicationOptions> = Object.freeze({
  bufferLogs: true,
  bodyParser: false,
});

/**
 * Applies Strata's HTTP conventions to an app before `init`/`listen`: validation with per-field
 * errors, problem+json for every error, JSON-only bodies, and an echoed `X-Correlation-Id`.
 */
export function configureStrataHttp(app: NestFastifyApplication): NestFastifyApplication {
  const fastify = app.getHttpAdapter().getInstance();
  // An onRequest hook runs for every request, unknown routes and unparseable bodies included,
  // so even those responses carry the correlation id the log line has.
  fastify.addHook('onRequest', (request, reply, done) => {
    echoCorrelationId(request.raw, reply.raw);
    done();
  });
  // JSON only (see STRATA_APP_OPTIONS): without Fastify's text/plain parser, every other
  // media type is a 415.
  fastify.removeContentTypeParser('text/plain');
  // Body-parse failures (bad JSON 400, too large 413, media type 415) never reach a route:
  // Nest's own Fastify error and not-found handlers pass them, as HttpExceptions with Fastify's
  // status, through the global filters, so registering the filter covers them too.
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // One error per field: the first of its checks to fail, innermost decorator first, so a
      // string amount is "must be an integer", not also "must not be less than 1".
      stopAtFirstError: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  return app;
}
