import { Module } from '@nestjs/common';
import { GithubUpstreamModule } from '../github/upstream/github-upstream.module';
import { HistoryModule } from '../history/history.module';
import { DeliveryStore } from './delivery/delivery-store';
import { WebhookProcessor } from './delivery/webhook-processor';
import { WebhookReceiver } from './delivery/webhook-receiver';
import { WebhookEvents } from './events/webhook-events';
import { WebhookMetrics } from './delivery/webhook-metrics';
import { WebhooksController } from './webhooks.controller';

/**
 * GitHub webhooks (docs/webhooks.md): deliveries received and stored (delivery/), what each event
 * does (events/). Loaded only when GITHUB_WEBHOOK_SECRET is set (AppModule): without it the route
 * does not exist.
 */
@Module({
  imports: [HistoryModule, GithubUpstreamModule],
  controllers: [WebhooksController],
  providers: [DeliveryStore, WebhookReceiver, WebhookProcessor, WebhookEvents, WebhookMetrics],
})
export class WebhooksModule {}
