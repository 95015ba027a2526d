import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { rawOf, type RequestLike } from '../http/raw-request';
import { principalOf, type Principal } from './principal';

/** Injects the request's verified `Principal`, or undefined when auth is off. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined =>
  principalOf(rawOf(context.switchToHttp().getRequest<RequestLike>())),
);
