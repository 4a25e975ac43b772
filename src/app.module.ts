import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CacheModule } from './cache/cache.module';
import { HttpCacheModule } from './cache/http/http-cache.module';
import { configNamespaces } from './config/configuration';
import { GithubModule } from './github/github.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ThrottlingModule } from './throttling/throttling.module';
import { WEB_ROOT, WebModule } from './web/web.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    // Environment variables only: Nest reads no .env file. `npm start` has Node load one when it
    // exists (--env-file-if-exists); start:prod and the image read none, so production runs what
    // the platform set.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configNamespaces }),
    LoggingModule,
    CacheModule,
    HttpCacheModule,
    MetricsModule,
    ThrottlingModule,
    GithubModule,
    HistoryModule,
    WebhooksModule,
    HealthModule,
    WebModule.serving(WEB_ROOT),
  ],
})
export class AppModule {}
