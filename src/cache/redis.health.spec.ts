import { HealthIndicatorService } from '@nestjs/terminus';
import { CacheConfig } from '../config/cache.config';
import { testCacheConfig, testCacheStore } from '../../test/support/cache-config';
import { ABSENT_REDIS_URL, readyRedisConnection } from '../../test/support/test-redis';
import { CacheHealthIndicator } from './redis.health';
import { RedisConnection } from './redis-connection';

function indicatorFor(config: CacheConfig, connection: RedisConnection): CacheHealthIndicator {
  const { store } = testCacheStore(config, connection);
  return new CacheHealthIndicator(new HealthIndicatorService(), connection, store);
}

describe(CacheHealthIndicator.name, () => {
  it('should be up on memory without REDIS_URL', async () => {
    const config = testCacheConfig();

    const result = await indicatorFor(config, new RedisConnection(config)).check();

    expect(result).toEqual({ cache: { status: 'up', backend: 'memory' } });
  });

  it('should be up on Redis while Redis answers', async () => {
    const config = testCacheConfig();
    const connection = await readyRedisConnection(config);

    const result = await indicatorFor(config, connection).check();

    expect(result).toEqual({ cache: { status: 'up', backend: 'redis', redis: 'up' } });
    await connection.onModuleDestroy();
  });

  it('should be degraded, not down, while the configured Redis is away', async () => {
    const config = testCacheConfig({ redisUrl: ABSENT_REDIS_URL });
    const connection = new RedisConnection(config);

    const result = await indicatorFor(config, connection).check();

    expect(result).toEqual({ cache: { status: 'degraded', backend: 'memory', redis: 'down' } });
    await connection.onModuleDestroy();
  });
});
