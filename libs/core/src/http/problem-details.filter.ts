import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { isExplained, toProblemDetails } from './to-problem-details';

/** Answers every error as RFC 9457 `application/problem+json`; logs server faults. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    const url: unknown = adapter.getRequestUrl(http.getRequest());
    const instance = typeof url === 'string' ? url.split('?')[0] : undefined;
    const problem = toProblemDetails(exception, instance);
    if (!isExplained(exception, problem.status)) {
      // The client gets a generic detail, so the log is the only place the cause survives.
      this.logger.error(exception instanceof Error ? exception : new Error(String(exception)));
    }
    if (adapter.isHeadersSent(response)) {
      adapter.end(response);
      return;
    }
    adapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    // A 503 is a wait that ran out (read-your-writes) or a store that was unreachable or
    // locked; the client may simply come back. A 507 (disk full) needs an operator: later.
    if (problem.status === 503) adapter.setHeader(response, 'Retry-After', '1');
    if (problem.status === 507) adapter.setHeader(response, 'Retry-After', '30');
    // RFC 6750: a 401 names the scheme that would have worked.
    if (problem.status === 401) adapter.setHeader(response, 'WWW-Authenticate', 'Bearer');
    adapter.reply(response, problem, problem.status);
  }
}
