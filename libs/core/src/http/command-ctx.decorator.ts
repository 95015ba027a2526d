import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { principalOf } from '../auth/principal';
import type { CommandContext } from '../commands/command-context';
import { commandContextFromHeaders } from './command-context-headers';
import { correlationIdOf } from './correlation-id';
import { rawOf, type RequestLike } from './raw-request';
import { requestFingerprint } from './request-fingerprint';

/** The parts of a Fastify request the fingerprint reads, when the platform provides them. */
type RoutedRequest = RequestLike & { readonly body?: unknown; readonly routeOptions?: { readonly url?: string } };

/**
 * Injects the `CommandContext` of the request's headers, with the authenticated subject as
 * `user` when auth is on; malformed headers are a 400. With an `Idempotency-Key`, it carries
 * the request's fingerprint, so a key sent again with another request is refused.
 */
export const CommandCtx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const routed = context.switchToHttp().getRequest<RoutedRequest>();
  const request = rawOf(routed);
  const fromHeaders = commandContextFromHeaders(request.headers, correlationIdOf(request));
  const route = routed.routeOptions?.url ?? (request.url ?? '').split('?')[0] ?? '';
  const fingerprinted =
    fromHeaders.commandId === undefined
      ? fromHeaders
      : { ...fromHeaders, fingerprint: requestFingerprint({ method: request.method ?? '', route, body: routed.body }) };
  const principal = principalOf(request);
  return principal === undefined ? fingerprinted : { ...fingerprinted, user: principal.subject };
});
