import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { problemResponse } from '../common/api-problem-responses.decorator';
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
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    description: 'With METRICS_PORT set, served only on that port: here it is then a 404.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format', schema: { type: 'string' } })
  @ApiResponse({
    status: 404,
    ...problemResponse(404, 'METRICS_PORT is set: /metrics is served on that port only'),
  })
  scrape(): Promise<string> {
    if (this.app.metricsPort !== undefined) {
      // The same answer as any unknown route: the public port does not admit there is one.
      throw new NotFoundException('Cannot GET /metrics');
    }
    return this.metrics.registry.metrics();
  }
}
