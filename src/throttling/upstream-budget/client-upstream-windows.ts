import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { RedisConnection } from '../../cache/redis-connection';
import { cacheConfig } from '../../config/cache.config';
import { httpConfig } from '../../config/http.config';
import { FixedWindowThrottlerStorage } from '../windows/fixed-window.storage';
import { SharedWindowSync } from '../windows/shared-window-sync';

/** Each client's GitHub requests in its CLIENT_UPSTREAM_WINDOW_S window: the throttle's counter, a second instance. */
@Injectable()
export class ClientUpstreamWindows extends FixedWindowThrottlerStorage {}

/** Shares those counts between replicas, on the throttle's schedule and under its own keys. */
@Injectable()
export class ClientUpstreamSync extends SharedWindowSync {
  constructor(
    windows: ClientUpstreamWindows,
    connection: RedisConnection,
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
    @Inject(cacheConfig.KEY) cache: ConfigType<typeof cacheConfig>,
  ) {
    super(windows, connection, http.throttleSyncMs, `${cache.keyPrefix}:upstream:`);
  }
}
