import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AppInfoHealthIndicator } from './app-info.health';
import { HealthController } from './health.controller';
import { HistoryModule } from '../history/history.module';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), HistoryModule],
  controllers: [HealthController],
  providers: [AppInfoHealthIndicator],
})
export class HealthModule {}
