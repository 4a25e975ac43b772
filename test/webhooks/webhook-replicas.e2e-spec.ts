import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { CacheStore } from '../../src/cache/cache-store';
import { WebhookDelivery } from '../../src/webhooks/events/webhook-delivery';
import { WebhookProcessor } from '../../src/webhooks/delivery/webhook-processor';
import { WebhookEvents } from '../../src/webhooks/events/webhook-events';
import { waitFor, waitForRedis } from '../support/upstream';
import { FakeGithub, GithubRepoJson } from '../fake-github';
import { pushPayload, WebhookSender } from '../fake-github/webhook-sender';
import { historyReady } from '../support/history-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { bootApp } from '../support/boot-app';
import { AMPLE_BUDGET } from '../support/harness';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/test-redis';

const SECRET = 'webhook-secret-for-replicas';
const sender = new WebhookSender(SECRET);

/**
 * Two replicas of the service sharing PostgreSQL (the deliveries) and Redis (the cache): a
 * delivery is processed by one of them, once, whichever received it; a cached answer is dropped
 * on both; a delivery whose process died after its 202 is processed by the other.
 */
jest.setTimeout(60_000);

describe('POST /webhooks/github (two replicas)', () => {
  let gh: FakeGithub;
  let db: TestDatabase;
  let prefix: string;
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let urls: [string, string];
  let repo: GithubRepoJson;
  /** Every delivery id each replica processed, in order. */
  const processed = new Map<NestFastifyApplication, string[]>();

  async function boot(): Promise<NestFastifyApplication> {
    const app = await bootApp({
      githubUrl: gh.url,
      env: {
        HISTORY_ENABLED: 'true',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        CACHE_KEY_PREFIX: prefix,
        GITHUB_WEBHOOK_SECRET: SECRET,
        WEBHOOK_SWEEP_INTERVAL_SECONDS: '1',
        // Long enough that a busy machine's slow processing keeps its claim; short for the test.
        WEBHOOK_CLAIM_SECONDS: '4',
      },
    });
    const events = app.get(WebhookEvents);
    const apply = events.apply.bind(events);
    processed.set(app, []);
    jest.spyOn(events, 'apply').mockImplementation((delivery: WebhookDelivery) => {
      processed.get(app)?.push(delivery.id);
      return apply(delivery);
    });
    await historyReady(app);
    await waitForRedis(app.getHttpServer(), 'up');
    return app;
  }

  const allProcessed = (): string[] => [...processed.values()].flat();

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    [repo] = gh.addUser('octocat', 1);
    db = await createTestDatabase();
    prefix = uniqueKeyPrefix('webhooks');
    a = await boot();
    b = await boot();
    urls = [await a.getUrl(), await b.getUrl()];
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await gh?.close();
    await db?.drop();
    await deleteKeysContaining(TEST_REDIS_URL, prefix);
  });

  it('should process each delivery once, whichever replica received it and however often', async () => {
    const deliveries = Array.from({ length: 20 }, (_, i) =>
      sender.delivery(i % 2 === 0 ? 'ping' : 'issues', { payload: { zen: `z${i}` } }),
    );

    // Each delivery to both replicas at once (GitHub redelivering while the first is answered),
    // while both sweep as fast as they can.
    const answers = await Promise.all([
      ...deliveries.flatMap((delivery) => urls.map((url) => WebhookSender.send(url, delivery))),
      ...Array.from({ length: 5 }, () => a.get(WebhookProcessor).sweep()),
      ...Array.from({ length: 5 }, () => b.get(WebhookProcessor).sweep()),
    ]);
    await Promise.all([a, b].map((app) => app.get(WebhookProcessor).settled()));
    await waitFor(
      'every delivery processed',
      async () => {
        const [{ pending }] = await db.query<{ pending: number }>(
          'SELECT count(*)::int AS pending FROM webhook_deliveries WHERE processed_at IS NULL',
        );
        return pending === 0;
      },
      20_000,
    );

    const statuses = answers
      .filter(
        (answer): answer is { status: number; text: string; headers: Record<string, string> } =>
          typeof answer === 'object' && answer !== null && 'status' in answer,
      )
      .map((answer) => (JSON.parse(answer.text) as { status: string }).status);
    expect(statuses.filter((status) => status === 'accepted')).toHaveLength(20);
    expect(statuses.filter((status) => status === 'duplicate')).toHaveLength(20);
    const ids = deliveries.map((delivery) => delivery.id);
    expect(
      allProcessed()
        .filter((id) => ids.includes(id))
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('should drop a cached answer on the other replica too (its memory copy included)', async () => {
    const key = `gh:repo:/repos/${repo.full_name.toLowerCase()}`;
    await request(b.getHttpServer()).get(`/github/repos/${repo.full_name}`).expect(200);
    expect(b.get(CacheStore).peek(key)).toBeDefined();

    const answer = await WebhookSender.send(
      urls[0],
      sender.delivery('push', { payload: pushPayload(repo.full_name) }),
    );
    await a.get(WebhookProcessor).settled();

    expect(answer.status).toBe(202);
    await waitFor(
      'the memory copy on the other replica dropped',
      () => Promise.resolve(b.get(CacheStore).peek(key) === undefined),
      10_000,
    );
    const before = gh.requests.length;
    await request(b.getHttpServer()).get(`/github/repos/${repo.full_name}`).expect(200);
    expect(gh.requests.slice(before).map((r) => r.status)).toEqual([304, 304]);
  });

  it('should process a delivery whose process died after answering 202, on the other replica', async () => {
    // Replica a takes the delivery and never finishes it (a hook holds its processing), then dies.
    const events = a.get(WebhookEvents);
    jest.spyOn(events, 'apply').mockImplementation(() => new Promise(() => undefined));
    const delivery = sender.delivery('push', { payload: pushPayload(repo.full_name) });

    const answer = await WebhookSender.send(urls[0], delivery);
    await waitFor('a claims the delivery', async () => {
      const [row] = await db.query<{ attempts: number }>(
        'SELECT attempts FROM webhook_deliveries WHERE delivery_id = $1',
        [delivery.id],
      );
      return row?.attempts === 1;
    });
    await a.close();

    expect(answer.status).toBe(202);
    // b's sweep retakes it once a's claim (WEBHOOK_CLAIM_SECONDS) has lapsed.
    await waitFor(
      'b processes it',
      async () => {
        const [row] = await db.query<{ outcome: string | null }>(
          'SELECT outcome FROM webhook_deliveries WHERE delivery_id = $1',
          [delivery.id],
        );
        return row?.outcome === 'processed';
      },
      30_000,
    );
    expect(processed.get(b)).toContain(delivery.id);
  });
});
