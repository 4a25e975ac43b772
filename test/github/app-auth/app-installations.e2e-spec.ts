import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { RateLimitGovernor } from '../../../src/github/upstream/rate-limit-governor';
import { tokenFingerprint } from '../../../src/github/upstream/token-fingerprint';
import { waitForRedis } from '../../support/upstream';
import { FakeGithub } from '../../fake-github';
import { FakeGithubApp } from '../../fake-github/github-app';
import { AMPLE_BUDGET } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../../support/test-redis';
import { AppKey, BudgetEntry, bootAppReplica, newAppKey } from '../../support/github-app-setup';

jest.setTimeout(30_000);

const APP_ID = 4545;
const PERSONAL_TOKEN = 'ghp_e2ePersonalTokenBesideTheApp0123';

async function budgets(app: NestFastifyApplication): Promise<BudgetEntry[]> {
  const response = await request(app.getHttpServer()).get('/github/rate-limit');
  expect(response.status).toBe(200);
  return (response.body as { tokens: BudgetEntry[] }).tokens;
}

/**
 * Which installation the service acts as, and beside what (issue 22): the one
 * GITHUB_APP_INSTALLATION_ID names, without listing; the App's installations before a
 * GITHUB_TOKEN, each credential with its own budget; the App's own calls charged to no client.
 */
describe(`${RateLimitGovernor.name} with a GitHub App`, () => {
  let gh: FakeGithub;
  let fakeApp: FakeGithubApp;
  let key: AppKey;
  const keyPrefixes: string[] = [];
  let app: NestFastifyApplication | undefined;

  function boot(options: {
    installationId?: number;
    token?: string;
    env?: Record<string, string>;
  }): Promise<NestFastifyApplication> {
    const keyPrefix = uniqueKeyPrefix('github-app-installations');
    keyPrefixes.push(keyPrefix);
    return bootAppReplica({ githubUrl: gh.url, appId: APP_ID, key, keyPrefix, ...options });
  }

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    gh.addUser('octocat', 3);
    gh.addUser('hubot', 2);
    key = newAppKey();
    fakeApp = gh.setApp({
      appId: APP_ID,
      publicKey: key.publicKey,
      installations: [
        { id: 1001, account: 'octocat' },
        { id: 1002, account: 'hubot' },
      ],
    });
  });

  beforeEach(() => {
    gh.reset();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await gh?.close();
    for (const prefix of keyPrefixes) {
      await deleteKeysContaining(TEST_REDIS_URL, prefix);
    }
  });

  it('should act as the installation GITHUB_APP_INSTALLATION_ID names, without listing the others', async () => {
    // Arrange
    app = await boot({ installationId: 1002 });
    const before = fakeApp.purchases();

    // Act
    const response = await request(app.getHttpServer()).get('/github/repos/octocat');

    // Assert
    expect(response.status).toBe(200);
    expect(gh.countRequests('/app/installations?')).toBe(0);
    expect(fakeApp.purchases() - before).toBe(1);
    expect(fakeApp.issued.at(-1)?.installationId).toBe(1002);
    expect((await budgets(app)).map((b) => b.fingerprint)).toEqual(['inst_1002']);
  });

  it("should charge the App's own calls to no client's upstream budget", async () => {
    // Arrange: a client allowed one GitHub request; the token is bought during that request.
    app = await boot({ installationId: 1001, env: { CLIENT_UPSTREAM_LIMIT: '1' } });
    const before = fakeApp.purchases();

    // Act
    const response = await request(app.getHttpServer()).get('/github/users/octocat');

    // Assert
    expect(response.status).toBe(200);
    expect(fakeApp.purchases() - before).toBe(1);
    expect(gh.requests.filter((r) => !r.path.startsWith('/app'))).toHaveLength(1);
  });

  it("should serve with the personal token while GitHub fails to list the App's installations", async () => {
    // Arrange: the listing at start-up fails, and the one a request would retry is 30 s away.
    gh.failNext({ pathPrefix: '/app/installations', mode: 'server-error' });
    app = await boot({ token: PERSONAL_TOKEN });

    // Act
    const response = await request(app.getHttpServer()).get('/github/users/hubot');

    // Assert
    expect(response.status).toBe(200);
    expect(
      gh.requests.map((r) => [r.path.replace(/\?.*/, ''), r.status, r.headers.authorization]),
    ).toEqual([
      ['/app/installations', 500, expect.stringMatching(/^bearer /i)],
      ['/users/hubot', 200, `Bearer ${PERSONAL_TOKEN}`],
    ]);
  });

  it('should answer 503 problems, not fall back to anonymous, when the App has no installation', async () => {
    // Arrange: another GitHub, where the App is installed nowhere.
    const bare = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    try {
      bare.addUser('octocat', 1);
      bare.setApp({ appId: APP_ID, publicKey: key.publicKey, installations: [] });
      const keyPrefix = uniqueKeyPrefix('github-app-installations');
      keyPrefixes.push(keyPrefix);
      app = await bootAppReplica({ githubUrl: bare.url, appId: APP_ID, key, keyPrefix });

      // Act
      const response = await request(app.getHttpServer()).get('/github/users/octocat');

      // Assert
      expect(expectProblem(response, 503).type).toBe(
        'urn:github-dashboard:problem:github-credentials-refused',
      );
      expect(bare.requests.map((r) => r.path.replace(/\?.*/, ''))).toEqual(['/app/installations']);
    } finally {
      await app?.close();
      app = undefined;
      await bare.close();
    }
  });

  describe('beside a GITHUB_TOKEN', () => {
    beforeEach(async () => {
      app = await boot({ token: PERSONAL_TOKEN });
      await waitForRedis(app.getHttpServer(), 'up');
    });

    it("should spend the App's installations first, while the personal token has more budget", async () => {
      // Act: after the first answers, each installation has less left than the token (5,000).
      const statuses = [];
      for (const path of [
        '/github/repos/octocat',
        '/github/repos/hubot',
        '/github/users/octocat',
      ]) {
        statuses.push((await request(app!.getHttpServer()).get(path)).status);
      }

      // Assert
      expect(statuses).toEqual([200, 200, 200]);
      const sent = gh.requests.filter((r) => !r.path.startsWith('/app'));
      expect(sent.length).toBeGreaterThan(0);
      const installationTokens = new Set(fakeApp.issued.map((t) => `Bearer ${t.token}`));
      expect(sent.every((r) => installationTokens.has(r.headers.authorization ?? ''))).toBe(true);
      expect((await budgets(app!)).map((b) => b.fingerprint)).toEqual([
        'inst_1001',
        'inst_1002',
        tokenFingerprint(PERSONAL_TOKEN),
      ]);
    });

    it('should turn to the personal token once every installation has spent its budget', async () => {
      // Arrange: both installations' budgets spent, as GitHub would report on the next request.
      await request(app!.getHttpServer()).get('/github/users/octocat');
      fakeApp.setInstallationBudget(1001, { limit: 5000, remaining: 0 });
      fakeApp.setInstallationBudget(1002, { limit: 5000, remaining: 0 });
      gh.reset();

      // Act
      const response = await request(app!.getHttpServer()).get('/github/repos/hubot');

      // Assert
      expect(response.status).toBe(200);
      const sent = gh.requests.filter((r) => !r.path.startsWith('/app'));
      expect(sent.at(-1)?.headers.authorization).toBe(`Bearer ${PERSONAL_TOKEN}`);
      const byFingerprint = new Map((await budgets(app!)).map((b) => [b.fingerprint, b]));
      expect(byFingerprint.get(tokenFingerprint(PERSONAL_TOKEN))?.estimated).toBe(false);
      expect(byFingerprint.get('inst_1001')).toMatchObject({ remaining: 0, estimated: false });
      expect(byFingerprint.get('inst_1002')).toMatchObject({ remaining: 0, estimated: false });
    });
  });
});
