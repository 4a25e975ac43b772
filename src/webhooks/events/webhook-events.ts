import { Injectable, Logger } from '@nestjs/common';
import type { StarEvent as StarPayload } from '@octokit/webhooks-types';
import { CacheInvalidation } from '../../cache/cache-invalidation';
import { RateLimitGovernor } from '../../github/upstream/rate-limit-governor';
import { Clock } from '../../common/clock';
import { StarEventWriter } from '../../history/storage/star-event-writer';
import { WebhookDelivery } from './webhook-delivery';
import { repositoriesOf, repositoryKeys, RepositoryPayload } from './stale-keys';

/** Events whose repository's cached answers they make stale. */
const STALE_MAKING = new Set(['push', 'repository', 'release', 'fork', 'public', 'member', 'star']);
/** `installation` actions that change which installations the App may act as, or what they may do. */
const INSTALLATIONS_CHANGING = new Set([
  'created',
  'deleted',
  'suspend',
  'unsuspend',
  'new_permissions_accepted',
]);

/** What processing a delivery did: something, or nothing (an event this service does not use). */
export type EventEffect = 'processed' | 'ignored';

/**
 * What each event does (docs/webhooks.md): drops the cached answers it makes stale, on every
 * replica; a `star` is also recorded exactly; an installation's change makes this replica list the
 * App's installations again (the others do within 10 minutes). Every effect is idempotent, so a
 * delivery processed again after a crash changes nothing more.
 */
@Injectable()
export class WebhookEvents {
  private readonly logger = new Logger(WebhookEvents.name);

  constructor(
    private readonly invalidation: CacheInvalidation,
    private readonly stars: StarEventWriter,
    private readonly clock: Clock,
    private readonly governor: RateLimitGovernor,
  ) {}

  async apply(delivery: WebhookDelivery): Promise<EventEffect> {
    const payload = JSON.parse(delivery.payload) as RepositoryPayload & Record<string, unknown>;
    if (delivery.event === 'ping') {
      this.logger.log({ deliveryId: delivery.id, hookId: hookIdOf(payload) }, 'Webhook ping');
      return 'processed';
    }
    if (delivery.event === 'installation' || delivery.event === 'installation_repositories') {
      this.logger.log(
        { deliveryId: delivery.id, event: delivery.event, action: delivery.action },
        'GitHub App installation changed',
      );
      if (
        delivery.event === 'installation_repositories' ||
        INSTALLATIONS_CHANGING.has(delivery.action ?? '')
      ) {
        // GitHub's list, not the payload, is the truth: a failed listing fails the delivery, retried.
        await this.governor.refreshInstallations();
      }
      return 'processed';
    }
    if (!STALE_MAKING.has(delivery.event)) {
      return 'ignored';
    }
    if (delivery.event === 'star') {
      await this.recordStar(delivery, payload as unknown as StarPayload);
    }
    const today = this.clock.today();
    const keys = repositoriesOf(payload).flatMap((fullName) => repositoryKeys(fullName, today));
    await this.invalidation.drop([...new Set(keys)]);
    return 'processed';
  }

  private async recordStar(delivery: WebhookDelivery, payload: StarPayload): Promise<void> {
    const { action, repository } = payload;
    if ((action !== 'created' && action !== 'deleted') || !repository?.full_name) {
      return;
    }
    const starredAt = action === 'created' ? Date.parse(payload.starred_at ?? '') : NaN;
    await this.stars.record({
      deliveryId: delivery.id,
      fullName: repository.full_name,
      action,
      occurredAt: Number.isNaN(starredAt) ? delivery.receivedAt : new Date(starredAt),
      receivedAt: delivery.receivedAt,
      stars: count(repository.stargazers_count),
      forks: count(repository.forks_count),
      openIssues: count(repository.open_issues_count),
    });
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

function hookIdOf(payload: Record<string, unknown>): unknown {
  return payload.hook_id;
}
