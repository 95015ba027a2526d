import type { IncomingMessage, ServerResponse } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../commands/command-context';
import { commandContextFromHeaders } from './command-context-headers';
import { correlationIdOf } from './correlation-id';

type RequestLike = IncomingMessage | { readonly raw: IncomingMessage };
type ResponseLike = ServerResponse | { readonly raw: ServerResponse };

function rawOf<T extends object>(value: T | { readonly raw: T }): T {
  return 'raw' in value ? value.raw : value;
}

/** Injects the `CommandContext` of the request's headers; malformed headers are a 400. */
export const CommandCtx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const http = context.switchToHttp();
  const request = rawOf(http.getRequest<RequestLike>());
  const response = rawOf(http.getResponse<ResponseLike>());
  return commandContextFromHeaders(request.headers, correlationIdOf(request, response));
});
