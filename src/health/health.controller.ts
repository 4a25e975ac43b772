import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { CacheHealthIndicator } from '../cache/redis.health';
import { HistoryHealthIndicator } from '../history/history.health';
import { AppInfoHealthIndicator } from './app-info.health';

/**
 * Probes. Neither route calls GitHub: a GitHub outage must not pull every replica out of the
 * load balancer at once, since the cache can still serve.
 */
@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly appInfo: AppInfoHealthIndicator,
    private readonly cache: CacheHealthIndicator,
    private readonly history: HistoryHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up; reports version and environment' })
  live() {
    return this.health.check([() => this.appInfo.check()]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: what the service itself needs to serve is available',
    description:
      'A lost Redis reports `degraded` with 200: the service still answers from memory. ' +
      'A history database that is down (or still starting) reports `degraded` with 200 too: only the two history routes need it.',
  })
  ready() {
    return this.health.check([
      () => this.appInfo.check(),
      () => this.cache.check(),
      () => this.history.check(),
    ]);
  }
}
