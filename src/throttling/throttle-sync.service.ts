import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { RedisConnection } from '../cache/redis-connection';
import { cacheConfig } from '../config/cache.config';
import { httpConfig } from '../config/http.config';
import { FixedWindowThrottlerStorage } from './windows/fixed-window.storage';
import { SharedWindowSync } from './windows/shared-window-sync';

/**
 * Shares THROTTLE_LIMIT's counts between replicas every THROTTLE_SYNC_MS (SharedWindowSync has
 * the mechanism and its error bound).
 */
@Injectable()
export class ThrottleSync extends SharedWindowSync {
  constructor(
    storage: FixedWindowThrottlerStorage,
    connection: RedisConnection,
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
    @Inject(cacheConfig.KEY) cache: ConfigType<typeof cacheConfig>,
  ) {
    super(storage, connection, http.throttleSyncMs, `${cache.keyPrefix}:throttle:`);
  }
}
