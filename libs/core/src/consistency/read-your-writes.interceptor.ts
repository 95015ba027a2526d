import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { StrataError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import { comparePositions } from '../event-store/position';
import { STRATA_OPTIONS, type StrataModuleOptions } from '../module/strata-options';
import { Projections } from '../projections/projections.service';
import { READS_COLLECTIONS } from '../read-models/reads-collections.decorator';
import { ConsistencyTimeoutError } from './consistency-timeout.error';
import { consistencyTimeoutMs, POSITION_HEADER } from './consistency-settings';

interface HttpRequestLike {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Read-your-writes for query endpoints: a GET carrying `X-Strata-Position` runs only once
 * the projections behind its collections (`@ReadsCollections`, else all) have committed
 * that position, and answers 503 when they do not within the timeout.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  private readonly timeoutMs: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly projections: Projections,
    private readonly events: EventStore,
    @Inject(STRATA_OPTIONS) options: StrataModuleOptions,
  ) {
    this.timeoutMs = consistencyTimeoutMs(options);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    // Every request passes here; only a query carrying a position pays for more than this.
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const header = request.headers[POSITION_HEADER];
    if (header === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return next.handle();
    return this.waitThenHandle(header, context, next);
  }

  private async waitThenHandle(header: string | string[], context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (typeof header !== 'string') {
      throw new StrataError('INVALID_HEADER', 'Send X-Strata-Position once, with the position one command returned.');
    }
    const position = this.events.parsePosition(header.trim());
    const collections = this.reflector.getAllAndOverride<string[] | undefined>(READS_COLLECTIONS, [context.getHandler(), context.getClass()]);
    // Usually the projections are there already, and a checkpoint never passes the head of the
    // log: a position one of them has reached is valid without reading the head.
    if (this.projections.writersOf(collections).length > 0 && (await this.projections.waitFor(position, collections, 0)).reached) return next.handle();
    const head = await this.events.headPosition();
    if (head === null || comparePositions(position, head) > 0) {
      throw new StrataError(
        'INVALID_POSITION',
        `Position ${position} is beyond the end of the log (${head ?? 'empty'}); send back a position a command of this service returned.`,
      );
    }
    const outcome = await this.projections.waitFor(position, collections, this.timeoutMs);
    if (!outcome.reached) throw new ConsistencyTimeoutError(position, outcome.behind, this.timeoutMs);
    return next.handle();
  }
}
