import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CacheStore } from './cache-store';
import { RedisConnection } from './redis-connection';

/**
 * Readiness of the cache. A lost Redis is `degraded`, not `down`: the service still answers from
 * memory, and pulling every replica out of the load balancer would turn a cache outage into a
 * full one.
 */
@Injectable()
export class CacheHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly connection: RedisConnection,
    private readonly store: CacheStore,
  ) {}

  async check() {
    const indicator = this.indicators.check('cache');
    if (!this.connection.configured) {
      return indicator.up({ backend: 'memory' });
    }
    try {
      await this.connection.ping();
      return indicator.up({ backend: this.store.backend, redis: 'up' });
    } catch {
      return indicator.degraded({ backend: 'memory', redis: 'down' });
    }
  }
}
