import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { rawOf, type RequestLike } from '../http/raw-request';
import type { JwtVerifier } from './jwt-verifier';
import { setPrincipal } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';

/** The injection token of the resolved `AuthSettings`. */
export const AUTH_SETTINGS = Symbol('STRATA_AUTH_SETTINGS');

/** The injection token of the app's one `JwtVerifier` (null with auth off): one verifier, one cache of an identity provider's keys. */
export const JWT_VERIFIER = Symbol('STRATA_JWT_VERIFIER');

/**
 * With auth on, every route but `@Public()` ones needs a valid bearer token, whose principal is
 * then what `@CommandCtx()` records as the user and `@CurrentPrincipal()` injects.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier | null,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.verifier === null || context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = rawOf(context.switchToHttp().getRequest<RequestLike>());
    const header = request.headers.authorization;
    setPrincipal(request, await this.verifier.verify(Array.isArray(header) ? header.join(', ') : header));
    return true;
  }
}
