import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { STRATA_OPTIONS, type StrataModuleOptions } from '../module/strata-options';
import { ALLOW_UNKNOWN_QUERY, declaredQueryOf } from './query-parameters';
import { RequestValidationError } from './request-validation-error';

/**
 * Refuses a request whose query string names a parameter its endpoint does not declare (a 400
 * naming each one), on every endpoint, with a query DTO or without: a misspelt `?limt=5` is an
 * error the client sees, not a filter silently ignored. Opt out per endpoint or controller with
 * `@AllowUnknownQueryParameters()`, or app-wide with `forRoot({ unknownQueryParameters: 'allow' })`.
 * It runs after guards, as the validation pipe does, so a 401 or 403 still comes first.
 */
@Injectable()
export class UnknownQueryInterceptor implements NestInterceptor {
  private readonly refuse: boolean;

  constructor(
    private readonly reflector: Reflector,
    @Inject(STRATA_OPTIONS) options: StrataModuleOptions,
  ) {
    this.refuse = (options.unknownQueryParameters ?? 'refuse') === 'refuse';
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.refuse || context.getType() !== 'http') return next.handle();
    const sent = Object.keys(context.switchToHttp().getRequest<{ query?: object }>().query ?? {});
    if (sent.length === 0) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(ALLOW_UNKNOWN_QUERY, [context.getHandler(), context.getClass()])) return next.handle();
    const declared = declaredQueryOf(context.getClass(), context.getHandler());
    if (declared === 'dto' || declared === 'any') return next.handle();
    const unknown = sent.filter((name) => !declared.has(name));
    if (unknown.length > 0) {
      // The same words the validation pipe uses for a DTO's unknown parameter, so a client sees one shape.
      throw new RequestValidationError(unknown.map((name) => ({ field: name, message: `property ${name} should not exist` })));
    }
    return next.handle();
  }
}
