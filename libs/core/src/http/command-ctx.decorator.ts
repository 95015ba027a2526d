import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../commands/command-context';
import { commandContextFromHeaders } from './command-context-headers';
import { correlationIdOf } from './correlation-id';

type RequestLike = IncomingMessage | { readonly raw: IncomingMessage };

function rawOf(request: RequestLike): IncomingMessage {
  return 'raw' in request ? request.raw : request;
}

/** Injects the `CommandContext` of the request's headers; malformed headers are a 400. */
export const CommandCtx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = rawOf(context.switchToHttp().getRequest<RequestLike>());
  return commandContextFromHeaders(request.headers, correlationIdOf(request));
});
