import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { ReadinessChecks } from './readiness-checks';

/** The part of a Fastify reply the controller uses. */
interface StatusSink {
  status(code: number): unknown;
}

/** Liveness and readiness for orchestrators: open without a token, never throttled. */
@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  /** 200 while the process runs its event loop; restart it otherwise. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** 200 when the stores answer and projections and sagas keep up; 503 otherwise, and while draining. */
  @Get('ready')
  @ApiOkResponse({ description: 'Ready for traffic.' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: a store is unreachable, writes fail for want of storage, a subscription lags too far, or the app is draining. The body says which.' })
  async ready(@Res({ passthrough: true }) reply: StatusSink): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.checks.accepting(),
        () => this.checks.eventStore(),
        () => this.checks.readStore(),
        () => this.checks.storage(),
        () => this.checks.subscriptions(),
        () => this.checks.projectionVersions(),
      ]);
    } catch (error) {
      // Terminus's own body, not problem+json: it lists each check, which is what an operator needs.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
