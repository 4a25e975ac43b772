import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import request from 'supertest';
import { StarHistory, StarHistoryPoint } from '../../src/history/star-history/star-history.model';
import { DeliveryStore } from '../../src/webhooks/delivery/delivery-store';
import { WebhookProcessor } from '../../src/webhooks/delivery/webhook-processor';
import { FakeGithub, GithubRepoJson } from '../fake-github';
import {
  DeliveryAnswer,
  pushPayload,
  SignedDelivery,
  starPayload,
  WebhookSender,
} from '../fake-github/webhook-sender';
import { historyReady } from '../support/history-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { bootApp } from '../support/boot-app';
import { AMPLE_BUDGET } from '../support/harness';
import { expectProblem } from '../support/problem';

const SECRET = 'webhook-secret-for-tests';
const OLD_SECRET = 'the-secret-being-rotated-out';
const sender = new WebhookSender(SECRET);

interface StoredRow {
  delivery_id: string;
  event: string;
  outcome: string | null;
  attempts: number;
}

/**
 * The webhook route on one replica with PostgreSQL: the signature before anything else, every
 * refusal with no effect, a delivery stored once and processed once, and what events do to the
 * cache and to star history. (Two replicas and a process killed after its 202:
 * webhook-replicas.e2e-spec.ts.)
 */
describe('POST /webhooks/github', () => {
  let gh: FakeGithub;
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let repo: GithubRepoJson;

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    [repo] = gh.addUser('octocat', 2);
    db = await createTestDatabase();
    app = await bootApp({
      githubUrl: gh.url,
      env: {
        HISTORY_ENABLED: 'true',
        DATABASE_URL: db.url,
        GITHUB_WEBHOOK_SECRET: `${SECRET},${OLD_SECRET}`,
      },
    });
    url = await app.getUrl();
    await historyReady(app);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await gh?.close();
    await db?.drop();
  });

  /** Sends a delivery and waits until what it started is processed. */
  async function deliver(delivery: SignedDelivery): Promise<DeliveryAnswer> {
    const answer = await WebhookSender.send(url, delivery);
    await app.get(WebhookProcessor).settled();
    return answer;
  }

  const stored = (): Promise<StoredRow[]> =>
    db.query<StoredRow>(
      'SELECT delivery_id, event, outcome, attempts FROM webhook_deliveries ORDER BY received_at, delivery_id',
    );

  /** Reads a repository through the service; returns the GitHub requests (path, status) it caused. */
  async function readRepo(fullName: string): Promise<{ path: string; status?: number }[]> {
    const before = gh.requests.length;
    await request(app.getHttpServer()).get(`/github/repos/${fullName}`).expect(200);
    return gh.requests.slice(before).map(({ path, status }) => ({ path, status }));
  }

  it('should answer a ping 202 and store it, processed', async () => {
    const delivery = sender.delivery('ping', { payload: { zen: 'Keep it simple.', hook_id: 1 } });

    const answer = await deliver(delivery);

    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.text)).toEqual({
      deliveryId: delivery.id,
      event: 'ping',
      status: 'accepted',
    });
    expect(await stored()).toContainEqual({
      delivery_id: delivery.id,
      event: 'ping',
      outcome: 'processed',
      attempts: 1,
    });
  });

  it('should accept an event it does not use and ignore it', async () => {
    const delivery = sender.delivery('issues', { payload: { action: 'opened', issue: {} } });

    const answer = await deliver(delivery);

    expect(answer.status).toBe(202);
    expect(await stored()).toContainEqual(
      expect.objectContaining({ delivery_id: delivery.id, outcome: 'ignored' }),
    );
  });

  it('should accept a delivery signed with a secret being rotated out', async () => {
    const delivery = sender.delivery('ping', { payload: { zen: 'z' }, secret: OLD_SECRET });

    expect((await deliver(delivery)).status).toBe(202);
  });

  it('should revalidate a cached repository after a push (304s: nothing changed)', async () => {
    await readRepo(repo.full_name);
    expect(await readRepo(repo.full_name)).toEqual([]);

    const answer = await deliver(sender.delivery('push', { payload: pushPayload(repo.full_name) }));
    const after = await readRepo(repo.full_name);

    expect(answer.status).toBe(202);
    expect(after).toEqual([
      { path: `/repos/${repo.full_name.toLowerCase()}`, status: 304 },
      { path: `/repos/${repo.full_name.toLowerCase()}/languages`, status: 304 },
    ]);
  });

  it('should serve what changed at GitHub right after the push that changed it', async () => {
    await readRepo(repo.full_name);
    repo.description = 'Changed by a push';

    await deliver(sender.delivery('push', { payload: pushPayload(repo.full_name) }));
    const body = (await request(app.getHttpServer()).get(`/github/repos/${repo.full_name}`))
      .body as { description: string };

    expect(body.description).toBe('Changed by a push');
  });

  it('should drop the cached list of the owner of a renamed repository', async () => {
    await request(app.getHttpServer()).get('/github/repos/octocat').expect(200);
    const asked = gh.countRequests('/users/octocat/repos');

    await deliver(
      sender.delivery('repository', {
        payload: {
          action: 'renamed',
          changes: { repository: { name: { from: 'old-name' } } },
          repository: { full_name: repo.full_name, name: repo.name, owner: { login: 'octocat' } },
        },
      }),
    );
    await request(app.getHttpServer()).get('/github/repos/octocat').expect(200);

    expect(gh.countRequests('/users/octocat/repos')).toBeGreaterThan(asked);
  });

  it('should answer a replayed delivery 2xx and process it once, leaving the cache alone', async () => {
    const delivery = sender.delivery('push', { payload: pushPayload(repo.full_name) });
    await deliver(delivery);
    await readRepo(repo.full_name);

    const replay = await deliver(delivery);

    expect(replay.status).toBe(202);
    expect(JSON.parse(replay.text)).toEqual({
      deliveryId: delivery.id,
      event: 'push',
      status: 'duplicate',
    });
    expect(await readRepo(repo.full_name)).toEqual([]);
    expect((await stored()).filter((row) => row.delivery_id === delivery.id)).toEqual([
      { delivery_id: delivery.id, event: 'push', outcome: 'processed', attempts: 1 },
    ]);
  });

  describe.each([
    ['no signature', { secret: null }],
    ['a signature made with another secret', { secret: 'not-the-secret' }],
    ['a signature of another body', { signature: 'sha256=' + 'ab'.repeat(32) }],
    ['a signature that is not sha256=<hex>', { signature: 'sha1=deadbeef' }],
  ])('a push with %s', (_name, forgery) => {
    it('should be refused 401 with a problem, and nothing stored or dropped', async () => {
      await readRepo(repo.full_name);
      const before = await stored();

      const answer = await deliver(
        sender.delivery('push', { payload: pushPayload(repo.full_name), ...forgery }),
      );

      expectProblem(answer, 401, [SECRET]);
      expect(await stored()).toEqual(before);
      expect(await readRepo(repo.full_name)).toEqual([]);
    });
  });

  it('should refuse a body over 25 MB with a 413 problem and store nothing', async () => {
    const before = await stored();
    const huge = Buffer.alloc(25 * 1024 * 1024 + 1, 0x20);

    const answer = await deliver(sender.delivery('push', { payload: huge }));

    expectProblem(answer, 413);
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['not JSON', '{"action": '],
    ['JSON but not an object', '[1, 2, 3]'],
  ])(
    'should refuse a signed body that is %s with a 400 problem and store nothing',
    async (_n, body) => {
      const before = await stored();

      const answer = await deliver(sender.delivery('push', { payload: Buffer.from(body) }));

      expectProblem(answer, 400);
      expect(await stored()).toEqual(before);
    },
  );

  it('should refuse a signed delivery without X-GitHub-Delivery with a 400 problem', async () => {
    const delivery = sender.delivery('ping', { payload: { zen: 'z' } });
    delete delivery.headers['x-github-delivery'];
    const before = await stored();

    expectProblem(await deliver(delivery), 400);
    expect(await stored()).toEqual(before);
  });

  it('should give star history the exact stars gained and lost from star events', async () => {
    const [starred] = gh.addOrg('evented', 1);
    starred.created_at = '2025-01-01T00:00:00Z';
    const first = Array.from({ length: 10 }, (_, i) => `2025-01-0${1 + (i % 9)}T12:00:00Z`).sort();
    gh.setStargazers(starred.full_name, { starredAt: first });
    const history = async (): Promise<StarHistory> =>
      (
        await request(app.getHttpServer())
          .get(`/github/repos/${starred.full_name}/star-history`)
          .expect(200)
      ).body as StarHistory;
    await history();
    // Today: 3 of the stargazers unstar, one new one stars (GitHub now counts 8).
    const now = new Date().toISOString();
    gh.setStargazers(starred.full_name, { starredAt: [...first.slice(0, 7), now] });
    const counts = { ...starred, stargazers_count: 8 };
    const unstars = [1, 2, 3].map(() =>
      sender.delivery('star', { payload: starPayload(counts, 'deleted', null) }),
    );
    for (const delivery of [
      ...unstars,
      sender.delivery('star', { payload: starPayload(counts, 'created', now) }),
    ]) {
      expect((await deliver(delivery)).status).toBe(202);
    }
    // A redelivery counts nothing twice.
    expect((await deliver(unstars[0])).status).toBe(202);

    const body = await history();

    expect(body.points.at(-1)).toEqual<StarHistoryPoint>({
      date: now.slice(0, 10),
      stars: 8,
      gained: 1,
      lost: 3,
      lostKind: 'exact',
    });
    const events = await db.query<{ action: string; occurred_at: Date }>(
      'SELECT action, occurred_at FROM repo_star_events WHERE full_name = $1 ORDER BY action',
      [starred.full_name.toLowerCase()],
    );
    expect(events.map((event) => event.action)).toEqual([
      'created',
      'deleted',
      'deleted',
      'deleted',
    ]);
    expect(events[0].occurred_at.toISOString()).toBe(now);
    const [snapshot] = await db.query<{ stars: number }>(
      'SELECT stars FROM repo_snapshots WHERE full_name = $1 AND day = $2',
      [starred.full_name.toLowerCase(), now.slice(0, 10)],
    );
    expect(snapshot.stars).toBe(8);
  });

  it('should forget delivery ids past the retention (7 days), and only those', async () => {
    await db.query(
      `INSERT INTO webhook_deliveries (delivery_id, event, payload, received_at, processed_at, outcome)
       VALUES ('eight-days', 'ping', '{}', now() - interval '8 days', now(), 'processed'),
              ('six-days', 'ping', '{}', now() - interval '6 days', now(), 'processed')`,
    );

    const pruned = await app.get(DeliveryStore).prune(7);

    const ids = (await stored()).map((row) => row.delivery_id);
    expect(pruned).toBe(1);
    expect(ids).toContain('six-days');
    expect(ids).not.toContain('eight-days');
  });

  it('should document the route in Swagger with its statuses', async () => {
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };

    expect(Object.keys(document.paths['/webhooks/github']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '413', '503']),
    );
  });

  it('should count deliveries by event and outcome, and the processing lag', async () => {
    const metrics = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;

    expect(metrics).toMatch(/webhook_deliveries_total\{event="push",outcome="processed"\} [1-9]/);
    expect(metrics).toMatch(/webhook_deliveries_total\{event="push",outcome="duplicate"\} [1-9]/);
    expect(metrics).toMatch(
      /webhook_deliveries_total\{event="unverified",outcome="unsigned"\} [1-9]/,
    );
    expect(metrics).toMatch(/webhook_processing_lag_seconds_count\{event="star"\} [1-9]/);
  });
});

describe('POST /webhooks/github, configurations', () => {
  let gh: FakeGithub;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await gh?.close();
  });

  it('should not exist without GITHUB_WEBHOOK_SECRET: answered as any path that does not exist', async () => {
    app = await bootApp({ githubUrl: gh.url });
    const url = await app.getUrl();
    const delivery = sender.delivery('ping', { payload: { zen: 'z' } });

    const answer = await WebhookSender.send(url, delivery);
    const elsewhere = await fetch(`${url}/webhooks/nothing-here`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });

    expect(answer.status).toBe(elsewhere.status);
    expect(JSON.parse(answer.text).type).toBe(((await elsewhere.json()) as { type: string }).type);
    expect((await request(app.getHttpServer()).get('/webhooks/github')).status).toBe(404);
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.paths['/webhooks/github']).toBeUndefined();
    expect(document.components.schemas.WebhookAcceptedResponse).toBeUndefined();
  });

  it('should answer 503 when history is off (deliveries are stored there), after the signature', async () => {
    app = await bootApp({
      githubUrl: gh.url,
      env: { HISTORY_ENABLED: 'false', GITHUB_WEBHOOK_SECRET: SECRET },
    });
    const url = await app.getUrl();

    const signed = await WebhookSender.send(
      url,
      sender.delivery('ping', { payload: { zen: 'z' } }),
    );
    const unsigned = await WebhookSender.send(
      url,
      sender.delivery('ping', { payload: { zen: 'z' }, secret: null }),
    );

    expectProblem(signed, 503);
    expect(signed.headers['retry-after']).toBeDefined();
    expectProblem(unsigned, 401);
  });

  it('should not count deliveries against the public throttle (THROTTLE_LIMIT)', async () => {
    app = await bootApp({
      githubUrl: gh.url,
      env: { GITHUB_WEBHOOK_SECRET: SECRET, THROTTLE_LIMIT: '2', THROTTLE_TTL_SECONDS: '60' },
    });
    const url = await app.getUrl();

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await WebhookSender.send(url, sender.delivery('ping', { payload: { zen: 'z' } }))).status,
      );
    }
    const reads = [];
    for (let i = 0; i < 3; i++) {
      reads.push((await request(app.getHttpServer()).get('/github/users/nobody')).status);
    }

    // History is off here: every delivery gets its 503, none a 429; the reads are throttled.
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
    expect(reads[2]).toBe(429);
  });

  it('should refuse deliveries past WEBHOOK_MAX_IN_FLIGHT with a 503 problem, before reading them', async () => {
    app = await bootApp({
      githubUrl: gh.url,
      env: { GITHUB_WEBHOOK_SECRET: SECRET, WEBHOOK_MAX_IN_FLIGHT: '1' },
    });
    const url = new URL(await app.getUrl());
    // One delivery whose body never finishes arriving holds the only place.
    const slow = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(
      'POST /webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\nX-Hub-Signature-256: sha256=00\r\n\r\n{"zen":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    const refused = await WebhookSender.send(
      url.origin,
      sender.delivery('ping', { payload: { zen: 'z' } }),
    );
    slow.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterwards = await WebhookSender.send(
      url.origin,
      sender.delivery('ping', { payload: { zen: 'z' }, secret: null }),
    );

    expect(expectProblem(refused, 503).type).toMatch(/webhooks-busy$/);
    expect(refused.headers['retry-after']).toBe('1');
    expectProblem(afterwards, 401);
  });

  it('should refuse to start with an empty secret in GITHUB_WEBHOOK_SECRET, naming the variable', async () => {
    await expect(
      bootApp({ githubUrl: gh.url, env: { GITHUB_WEBHOOK_SECRET: 'one,,two' } }),
    ).rejects.toThrow(/GITHUB_WEBHOOK_SECRET must be one secret or a comma-separated list/);
  });
});
