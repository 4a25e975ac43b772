import { Module } from '@nestjs/common';
import { FixedWindowThrottlerStorage } from './windows/fixed-window.storage';
import { ThrottleSync } from './throttle-sync.service';

/**
 * The counts ThrottlerGuard decides on, and their sync through Redis. A module of its own so that
 * ThrottlerModule's async options can inject the storage, and Nest runs its shutdown hooks.
 */
@Module({
  providers: [FixedWindowThrottlerStorage, ThrottleSync],
  exports: [FixedWindowThrottlerStorage],
})
export class ThrottleCountsModule {}
