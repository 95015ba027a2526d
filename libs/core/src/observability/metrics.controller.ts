import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { StrataMetrics } from './strata-metrics';

interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** Prometheus scrapes here; open without a token (keep the port internal), never throttled. */
@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: StrataMetrics) {}

  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format.' })
  async scrape(@Res({ passthrough: true }) reply: HeaderSink): Promise<string> {
    reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.scrape();
  }
}
