import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { principalOf } from '../auth/principal';
import type { CommandContext } from '../commands/command-context';
import { commandContextFromHeaders } from './command-context-headers';
import { correlationIdOf } from './correlation-id';
import { rawOf, type RequestLike } from './raw-request';

/**
 * Injects the `CommandContext` of the request's headers, with the authenticated subject as
 * `user` when auth is on; malformed headers are a 400.
 */
export const CommandCtx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = rawOf(context.switchToHttp().getRequest<RequestLike>());
  const commandContext = commandContextFromHeaders(request.headers, correlationIdOf(request));
  const principal = principalOf(request);
  return principal === undefined ? commandContext : { ...commandContext, user: principal.subject };
});
