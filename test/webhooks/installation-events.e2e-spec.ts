import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { WebhookProcessor } from '../../src/webhooks/delivery/webhook-processor';
import { FakeGithub } from '../fake-github';
import { FakeGithubApp } from '../fake-github/github-app';
import { WebhookSender } from '../fake-github/webhook-sender';
import { AppKey, BudgetEntry, bootAppReplica, newAppKey } from '../support/github-app-setup';
import { historyReady } from '../support/history-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { AMPLE_BUDGET } from '../support/harness';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/test-redis';

const SECRET = 'webhook-secret-for-installations';
const sender = new WebhookSender(SECRET);
const APP_ID = 6262;

jest.setTimeout(60_000);

/** An `installation` payload as GitHub sends it (the fields the service may read). */
function installationPayload(action: string, id: number, account: string): unknown {
  return {
    action,
    installation: { id, app_id: APP_ID, account: { login: account, type: 'User' } },
    sender: { login: account, type: 'User' },
  };
}

/**
 * `installation` deliveries with the service running as a GitHub App (issue 22): the replica that
 * processes one lists the App's installations again, so a new installation is spent, and a
 * deleted one no longer, without a restart.
 */
describe('POST /webhooks/github (installation events)', () => {
  let gh: FakeGithub;
  let fakeApp: FakeGithubApp;
  let key: AppKey;
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  const keyPrefix = uniqueKeyPrefix('webhook-installations');

  async function fingerprints(): Promise<string[]> {
    const response = await request(app.getHttpServer()).get('/github/rate-limit');
    expect(response.status).toBe(200);
    return (response.body as { tokens: BudgetEntry[] }).tokens.map((t) => t.fingerprint);
  }

  async function deliver(action: string, id: number, account: string): Promise<void> {
    const answer = await WebhookSender.send(
      url,
      sender.delivery('installation', { payload: installationPayload(action, id, account) }),
    );
    expect(answer.status).toBe(202);
    await app.get(WebhookProcessor).settled();
  }

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    gh.addUser('octocat', 1);
    gh.addUser('hubot', 1);
    key = newAppKey();
    fakeApp = gh.setApp({
      appId: APP_ID,
      publicKey: key.publicKey,
      installations: [{ id: 3001, account: 'octocat' }],
    });
    db = await createTestDatabase();
    app = await bootAppReplica({
      githubUrl: gh.url,
      appId: APP_ID,
      key,
      keyPrefix,
      env: { HISTORY_ENABLED: 'true', DATABASE_URL: db.url, GITHUB_WEBHOOK_SECRET: SECRET },
    });
    url = await app.getUrl();
    await historyReady(app);
  });

  afterAll(async () => {
    await app?.close();
    await gh?.close();
    await db?.drop();
    await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
  });

  it('should spend an installation created after start-up, once its delivery is processed', async () => {
    // Arrange: the service has listed the App's one installation (a request waits for the listing).
    expect((await request(app.getHttpServer()).get('/github/users/octocat')).status).toBe(200);
    expect(await fingerprints()).toEqual(['inst_3001']);
    fakeApp.addInstallation({ id: 3002, account: 'hubot' });

    // Act
    await deliver('created', 3002, 'hubot');

    // Assert
    expect(await fingerprints()).toEqual(['inst_3002', 'inst_3001']);
    gh.reset();
    const response = await request(app.getHttpServer()).get('/github/users/hubot');
    expect(response.status).toBe(200);
    const tokensOf3002 = new Set(
      fakeApp.issued.filter((t) => t.installationId === 3002).map((t) => `Bearer ${t.token}`),
    );
    const sent = gh.requests.filter((r) => r.path.startsWith('/users/hubot'));
    expect(sent).toHaveLength(1);
    expect(tokensOf3002.has(sent[0].headers.authorization ?? '')).toBe(true);
  });

  it('should stop using an installation once its deletion is processed', async () => {
    // Arrange
    fakeApp.removeInstallation(3001);

    // Act
    await deliver('deleted', 3001, 'octocat');

    // Assert
    expect(await fingerprints()).toEqual(['inst_3002']);
  });
});
