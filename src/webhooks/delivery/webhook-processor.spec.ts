import { ConfigType } from '@nestjs/config';
import { historyConfig } from '../../config/history.config';
import { webhooksConfig } from '../../config/webhooks.config';
import { WebhookEvents } from '../events/webhook-events';
import { WebhookMetrics } from './webhook-metrics';
import { DeliveryStore, StoredDelivery } from './delivery-store';
import { MAX_ATTEMPTS, WebhookProcessor } from './webhook-processor';

const config = {
  enabled: true,
  secrets: ['s'],
  maxInFlight: 1,
  sweepIntervalMs: 60_000,
  claimMs: 60_000,
  retentionDays: 7,
  maxBodyBytes: 1,
} as ConfigType<typeof webhooksConfig>;

function delivery(attempts: number): StoredDelivery {
  return {
    id: 'd1',
    event: 'push',
    action: null,
    payload: '{}',
    receivedAt: new Date(Date.now() - 1000),
    attempts,
  };
}

describe(WebhookProcessor.name, () => {
  let store: jest.Mocked<Pick<DeliveryStore, 'claim' | 'finish' | 'retryLater' | 'prune'>>;
  let apply: jest.Mock;
  let record: jest.Mock;
  let processor: WebhookProcessor;

  beforeEach(() => {
    store = {
      claim: jest.fn(),
      finish: jest.fn().mockResolvedValue(undefined),
      retryLater: jest.fn().mockResolvedValue(undefined),
      prune: jest.fn().mockResolvedValue(0),
    };
    apply = jest.fn();
    record = jest.fn();
    processor = new WebhookProcessor(
      config,
      { enabled: true } as ConfigType<typeof historyConfig>,
      store as unknown as DeliveryStore,
      { apply } as unknown as WebhookEvents,
      { record, recordLag: jest.fn() } as unknown as WebhookMetrics,
    );
  });

  it('should mark a delivery with the effect its event had', async () => {
    store.claim.mockResolvedValueOnce(delivery(1)).mockResolvedValue(undefined);
    apply.mockResolvedValue('ignored');

    await processor.sweep();

    expect(store.finish).toHaveBeenCalledWith('d1', expect.any(String), 'ignored', undefined);
    expect(record).toHaveBeenCalledWith('push', 'ignored');
  });

  it('should retry a failed attempt later, backing off', async () => {
    store.claim.mockResolvedValueOnce(delivery(2)).mockResolvedValue(undefined);
    apply.mockRejectedValue(new Error('database gone'));

    await processor.sweep();

    expect(store.retryLater).toHaveBeenCalledWith('d1', expect.any(String), 4000, 'database gone');
    expect(store.finish).not.toHaveBeenCalled();
    expect(record).toHaveBeenCalledWith('push', 'retried');
  });

  it('should give up after the last attempt fails', async () => {
    store.claim.mockResolvedValueOnce(delivery(MAX_ATTEMPTS)).mockResolvedValue(undefined);
    apply.mockRejectedValue(new Error('still failing'));

    await processor.sweep();

    expect(store.finish).toHaveBeenCalledWith('d1', expect.any(String), 'failed', 'still failing');
    expect(store.retryLater).not.toHaveBeenCalled();
  });

  it('should give up without applying a delivery whose processes kept dying', async () => {
    store.claim.mockResolvedValueOnce(delivery(MAX_ATTEMPTS + 1)).mockResolvedValue(undefined);

    await processor.sweep();

    expect(apply).not.toHaveBeenCalled();
    expect(store.finish).toHaveBeenCalledWith(
      'd1',
      expect.any(String),
      'failed',
      expect.stringMatching(/gave up/),
    );
  });

  it('should prune delivery ids past WEBHOOK_RETENTION_DAYS once an hour', async () => {
    store.claim.mockResolvedValue(undefined);

    await processor.sweep();
    await processor.sweep();

    expect(store.prune).toHaveBeenCalledTimes(1);
    expect(store.prune).toHaveBeenCalledWith(7);
  });
});
