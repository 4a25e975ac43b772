import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheStore } from './cache-store';
import { DistributedLock } from './distributed-lock';
import { MemoryBudget } from './memory-budget';
import { CacheHealthIndicator } from './redis.health';
import { RedisConnection } from './redis-connection';

@Global()
@Module({
  imports: [TerminusModule],
  providers: [RedisConnection, MemoryBudget, CacheStore, DistributedLock, CacheHealthIndicator],
  exports: [RedisConnection, MemoryBudget, CacheStore, DistributedLock, CacheHealthIndicator],
})
export class CacheModule {}
