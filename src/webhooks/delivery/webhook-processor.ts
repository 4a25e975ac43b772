import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { historyConfig } from '../../config/history.config';
import { webhooksConfig } from '../../config/webhooks.config';
import { WebhookEvents } from '../events/webhook-events';
import { WebhookMetrics } from './webhook-metrics';
import { DeliveryStore, StoredDelivery } from './delivery-store';

/** Attempts before a delivery is given up on (counted `failed`, kept for its retention). */
export const MAX_ATTEMPTS = 5;
/** Deliveries one sweep processes at most, so that a backlog does not hold the event loop's turn. */
const SWEEP_BATCH = 100;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Processes stored deliveries after they were answered: the one just received at once, and every
 * `WEBHOOK_SWEEP_INTERVAL_SECONDS` any that nobody processed (its process died after the 202, or
 * an attempt failed and its retry is due). Each is claimed first (DeliveryStore.claim), so two
 * replicas never process one delivery, and marked done after its effect: at least once, and the
 * effects are idempotent.
 */
@Injectable()
export class WebhookProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookProcessor.name);
  /** This process's name on its claims. */
  private readonly holder = randomUUID();
  private readonly running = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private closing = false;
  private lastPruned = 0;

  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    @Inject(historyConfig.KEY) private readonly history: ConfigType<typeof historyConfig>,
    private readonly store: DeliveryStore,
    private readonly events: WebhookEvents,
    private readonly metrics: WebhookMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.enabled || !this.history.enabled) {
      return;
    }
    this.timer = setInterval(() => this.track(this.sweep()), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  /** Stops sweeping; work under way is not awaited (its claim lapses and another replica retakes it). */
  onApplicationShutdown(): void {
    this.closing = true;
    clearInterval(this.timer);
  }

  /** Processes a delivery just stored, once its 202 is on its way. */
  kick(id: string): void {
    setImmediate(() => this.track(this.processClaimed(id)));
  }

  /** Processes what is due, oldest first, and prunes old delivery ids once an hour. */
  async sweep(): Promise<void> {
    for (let i = 0; i < SWEEP_BATCH && !this.closing; i++) {
      if (!(await this.processClaimed())) {
        break;
      }
    }
    if (!this.closing && Date.now() - this.lastPruned >= PRUNE_EVERY_MS) {
      this.lastPruned = Date.now();
      const pruned = await this.store.prune(this.config.retentionDays);
      if (pruned > 0) {
        this.logger.log({ pruned }, 'Old webhook deliveries forgotten');
      }
    }
  }

  /** Resolves once the work started so far has ended (tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running]);
    }
  }

  /** Claims one delivery (that one, or the oldest due) and processes it; false when none was due. */
  private async processClaimed(id?: string): Promise<boolean> {
    if (this.closing) {
      return false;
    }
    const delivery = await this.store.claim(this.holder, this.config.claimMs, id);
    if (!delivery) {
      return false;
    }
    await this.process(delivery);
    return true;
  }

  private async process(delivery: StoredDelivery): Promise<void> {
    if (delivery.attempts > MAX_ATTEMPTS) {
      await this.finish(delivery, 'failed', 'gave up after the last attempt did not finish');
      return;
    }
    try {
      const effect = await this.events.apply(delivery);
      await this.finish(delivery, effect);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (delivery.attempts >= MAX_ATTEMPTS) {
        this.logger.error(
          { deliveryId: delivery.id, event: delivery.event, error: message },
          'Webhook delivery failed for good',
        );
        await this.finish(delivery, 'failed', message);
        return;
      }
      this.metrics.record(delivery.event, 'retried');
      this.logger.warn(
        {
          deliveryId: delivery.id,
          event: delivery.event,
          attempt: delivery.attempts,
          error: message,
        },
        'Webhook delivery failed; retried later',
      );
      await this.store.retryLater(delivery.id, this.holder, 2 ** delivery.attempts * 1000, message);
    }
  }

  private async finish(
    delivery: StoredDelivery,
    outcome: 'processed' | 'ignored' | 'failed',
    error?: string,
  ): Promise<void> {
    await this.store.finish(delivery.id, this.holder, outcome, error);
    this.metrics.record(delivery.event, outcome);
    this.metrics.recordLag(delivery.event, (Date.now() - delivery.receivedAt.getTime()) / 1000);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      (error: unknown) =>
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'Webhook processing could not reach the database; the sweep retries',
        ),
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }
}
