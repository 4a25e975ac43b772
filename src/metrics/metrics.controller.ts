import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { appConfig } from '../config/app.config';
import { METRICS_CONTENT_TYPE } from './metrics-server';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  @Get()
  @Header('content-type', METRICS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  // No documented 404: with METRICS_PORT set the route is gone from this port, like any unknown
  // path; this document describes the default configuration, where it is served here.
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format', schema: { type: 'string' } })
  scrape(): Promise<string> {
    if (this.app.metricsPort !== undefined) {
      // The same answer as any unknown route: the public port does not admit there is one.
      throw new NotFoundException('Cannot GET /metrics');
    }
    return this.metrics.registry.metrics();
  }
}
