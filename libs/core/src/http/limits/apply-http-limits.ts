import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientErrorHandler } from './client-errors';
import { trackConnectionCaps } from './connection-caps';
import { HTTP_LIMIT_VARIABLES, type HttpLimits } from './http-limits';
import { JsonTooDeepError, jsonNestsDeeperThan } from './json-depth';
import { rawProblem, writeRawProblem } from './raw-problem';

/**
 * The Fastify (and through `http`, Node server) options that enforce the limits. Node checks
 * its header and request timeouts every `connectionsCheckingInterval` (30 s by default), which
 * would let a short timeout run long: it is made a quarter of the shorter one, within 0.1–1 s.
 */
export function fastifyLimitOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  const checkEveryMs = Math.max(100, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
  return {
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerConnection,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: checkEveryMs,
    },
    clientErrorHandler: clientErrorHandler(limits),
  };
}

/**
 * What Fastify's options cannot say: connection caps, the body timeout, and a JSON parser that
 * refuses deep nesting before anything recursive sees the body. Installed on the instance
 * before any other hook, so a refused connection costs no more than its answer.
 */
export function applyHttpLimits(fastify: FastifyInstance, limits: HttpLimits): void {
  const caps = trackConnectionCaps(fastify.server, limits);
  fastify.addHook('onRequest', (request, reply, done) => {
    const refusal = caps.refusalOf(request.raw.socket);
    if (refusal !== undefined) {
      // Answered on the socket and never routed: the chain stops at a hijacked reply.
      reply.hijack();
      writeRawProblem(request.raw.socket, { ...refusal, instance: request.url.split('?')[0] }, { 'Retry-After': '1' });
      return;
    }
    watchBody(request, reply, limits.bodyTimeoutMs);
    done();
  });
  // Fastify's own JSON parser, with its prototype-poisoning refusals, behind a depth check.
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // parseAs 'string' hands over a string; the type only says what other settings may give.
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestsDeeperThan(text, limits.jsonMaxDepth)) {
      done(new JsonTooDeepError(limits.jsonMaxDepth), undefined);
      return;
    }
    void parse(request, text, done);
  });
}

/**
 * Node's request timeout bounds headers and body together; this bounds the body alone, from the
 * moment the headers are in, so a body trickled a byte at a time is cut well before it.
 */
function watchBody(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): void {
  const raw = request.raw;
  const hasBody = raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
  if (!hasBody || raw.complete) return;
  const timer = setTimeout(() => {
    if (raw.complete || reply.raw.headersSent || raw.socket.destroyed) return;
    writeRawProblem(
      raw.socket,
      rawProblem(408, 'REQUEST_TIMEOUT', `The request body did not arrive in full within ${timeoutMs} ms (${HTTP_LIMIT_VARIABLES.bodyTimeoutMs}). Send it again without pausing.`),
    );
  }, timeoutMs);
  timer.unref();
  const stop = (): void => clearTimeout(timer);
  raw.once('end', stop);
  raw.once('close', stop);
  reply.raw.once('finish', stop);
}
