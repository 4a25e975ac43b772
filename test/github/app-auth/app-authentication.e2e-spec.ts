import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import request from 'supertest';
import { InstallationTokens } from '../../../src/github/app-auth/installation-tokens';
import { waitForRedis } from '../../support/upstream';
import { FakeGithub } from '../../fake-github';
import { FakeGithubApp } from '../../fake-github/github-app';
import { AMPLE_BUDGET } from '../../support/harness';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../../support/test-redis';
import { AppKey, BudgetEntry, bootAppReplica, newAppKey } from '../../support/github-app-setup';

jest.setTimeout(30_000);

const APP_ID = 4242;
const INSTALLATION = 7001;
/** GitHub's ceiling for an installation: the governor must take it from the headers. */
const INSTALLATION_LIMIT = 12_500;

/**
 * The service running as a GitHub App against the fake GitHub (issue 22): JWTs signed with the
 * test's key, an installation token bought once, spent through the governor with its own budget,
 * and shared with a second replica through Redis.
 */
describe(`${InstallationTokens.name} (GitHub App authentication)`, () => {
  let gh: FakeGithub;
  let fakeApp: FakeGithubApp;
  let key: AppKey;
  const apps: NestFastifyApplication[] = [];
  const keyPrefix = uniqueKeyPrefix('github-app');
  let server: Server;

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    gh.addUser('octocat', 3);
    gh.addUser('hubot', 2);
    gh.addUser('monalisa', 1);
    key = newAppKey();
    fakeApp = gh.setApp({
      appId: APP_ID,
      publicKey: key.publicKey,
      installations: [{ id: INSTALLATION, account: 'octocat' }],
      installationLimit: INSTALLATION_LIMIT,
    });
    const app = await bootAppReplica({ githubUrl: gh.url, appId: APP_ID, key, keyPrefix });
    apps.push(app);
    server = app.getHttpServer();
    await waitForRedis(server, 'up');
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await gh?.close();
    await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
  });

  it('should serve a repository list with an installation token bought once and reused', async () => {
    // Act
    const first = await request(server).get('/github/repos/octocat');
    const second = await request(server).get('/github/repos/hubot');

    // Assert
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ total: 3 });
    expect(fakeApp.purchases(INSTALLATION)).toBe(1);
    const token = fakeApp.issued[0].token;
    expect(token).toMatch(new RegExp(`^ghs_${APP_ID}_`));
    expect(token.length).toBeGreaterThan(500);
    const apiCalls = gh.requests.filter((r) => !r.path.startsWith('/app'));
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(new Set(apiCalls.map((r) => r.headers.authorization))).toEqual(
      new Set([`Bearer ${token}`]),
    );
    expect(apiCalls.every((r) => r.status === 200)).toBe(true);
  });

  it('should list the installations and buy the token with a JWT: iat 60 s back, under 10 minutes, our headers', () => {
    // Assert: the listing at start-up, one purchase, nothing else under /app.
    const appCalls = gh.requests.filter((r) => r.path.startsWith('/app'));
    expect(appCalls.map((r) => [r.method, r.path.replace(/\?.*/, ''), r.status])).toEqual([
      ['GET', '/app/installations', 200],
      ['POST', `/app/installations/${INSTALLATION}/access_tokens`, 201],
    ]);
    for (const call of appCalls) {
      expect(call.headers['user-agent']).toMatch(/^github-dashboard-backend\//);
      expect(call.headers['x-github-api-version']).toBe('2026-03-10');
      expect(call.headers.authorization).toMatch(/^bearer eyJ/i);
    }
    expect(fakeApp.acceptedJwts).toHaveLength(2);
    for (const jwt of fakeApp.acceptedJwts) {
      expect(Number(jwt.iss)).toBe(APP_ID);
      expect(jwt.receivedAt - jwt.iat).toBeGreaterThanOrEqual(59);
      expect(jwt.receivedAt - jwt.iat).toBeLessThanOrEqual(65);
      expect(jwt.exp - jwt.iat).toBeLessThanOrEqual(600);
    }
  });

  it("should show the installation's own budget, as GitHub's headers report it", async () => {
    // Act
    const response = await request(server).get('/github/rate-limit');

    // Assert
    expect(response.status).toBe(200);
    const spent = gh.requests.filter((r) => !r.path.startsWith('/app')).length;
    expect((response.body as { tokens: BudgetEntry[] }).tokens).toEqual([
      expect.objectContaining({
        fingerprint: `inst_${INSTALLATION}`,
        limit: INSTALLATION_LIMIT,
        remaining: INSTALLATION_LIMIT - spent,
        estimated: false,
      }),
    ]);
    // The App's own calls spent none of it.
    expect(gh.rateLimitOf(`Bearer ${fakeApp.issued[0].token}`).remaining).toBe(
      INSTALLATION_LIMIT - spent,
    );
  });

  it('should keep the token in Redis, where a second replica finds it and buys none', async () => {
    // Arrange
    const replica = await bootAppReplica({ githubUrl: gh.url, appId: APP_ID, key, keyPrefix });
    apps.push(replica);
    await waitForRedis(replica.getHttpServer(), 'up');
    gh.reset();

    // Act
    const response = await request(replica.getHttpServer()).get('/github/repos/monalisa');

    // Assert
    expect(response.status).toBe(200);
    expect(fakeApp.purchases()).toBe(1);
    const apiCalls = gh.requests.filter((r) => !r.path.startsWith('/app'));
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(
      apiCalls.every((r) => r.headers.authorization === `Bearer ${fakeApp.issued[0].token}`),
    ).toBe(true);
  });

  it('should buy a new token when GitHub revokes the one in use, and carry on', async () => {
    // Arrange
    fakeApp.revoke(fakeApp.issued[0].token);
    gh.reset();

    // Act
    const response = await request(server)
      .get('/github/repos/octocat')
      .set('Cache-Control', 'no-cache');

    // Assert
    expect(response.status).toBe(200);
    expect(fakeApp.purchases()).toBe(2);
    const apiCalls = gh.requests.filter((r) => !r.path.startsWith('/app'));
    expect(apiCalls.map((r) => r.status)).toEqual([401, ...apiCalls.slice(1).map(() => 200)]);
    expect(apiCalls.at(-1)?.headers.authorization).toBe(`Bearer ${fakeApp.issued[1].token}`);
  });
});
