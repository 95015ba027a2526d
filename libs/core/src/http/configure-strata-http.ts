import type { IncomingMessage } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { correlationIdOf, echoCorrelationId } from './correlation-id';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { toProblemDetails } from './to-problem-details';
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
 * Applies Strata's HTTP conventions to an app before `init`/`listen`: JSON-only bodies and an
 * echoed `X-Correlation-Id`. (Validation and problem+json come with `StrataModule.forRoot`.)
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
  // Validation and problem+json are not set here: StrataModule.forRoot registers them app-wide
  // (APP_PIPE, APP_FILTER), so an app that never calls this still refuses invalid bodies and
  // never answers a domain error with a 500. Body-parse failures (bad JSON 400, too large 413,
  // media type 415) reach that filter too: Nest's Fastify error and not-found handlers pass
  // them, as HttpExceptions with Fastify's status, through the global filters.
  return app;
}
