import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppInfoHealthIndicator } from './app-info.health';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [AppInfoHealthIndicator],
})
export class HealthModule {}
