import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { InstallationTokens } from '../../../src/github/app-auth/installation-tokens';
import { sleep, waitForRedis } from '../../support/upstream';
import { FakeGithub } from '../../fake-github';
import { FakeGithubApp } from '../../fake-github/github-app';
import { AMPLE_BUDGET } from '../../support/harness';
import {
  connect,
  deleteKeysContaining,
  keysContaining,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../support/test-redis';
import { bootAppReplica, newAppKey } from '../../support/github-app-setup';

jest.setTimeout(30_000);

const APP_ID = 4444;
const INSTALLATION = 9001;
/** GitHub's tokens live an hour; this one 8 s, so renewal (a quarter of its life early) is seen. */
const TOKEN_SECONDS = 8;

/**
 * An installation token is replaced before it expires (issue 22): never sent once expired, kept
 * in Redis only until its renewal time.
 */
describe(`${InstallationTokens.name} renewal`, () => {
  let gh: FakeGithub;
  let fakeApp: FakeGithubApp;
  let app: NestFastifyApplication;
  const keyPrefix = uniqueKeyPrefix('github-app-renewal');

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    gh.addUser('octocat', 3);
    const key = newAppKey();
    fakeApp = gh.setApp({
      appId: APP_ID,
      publicKey: key.publicKey,
      installations: [{ id: INSTALLATION, account: 'octocat' }],
      tokenLifetimeSeconds: TOKEN_SECONDS,
    });
    app = await bootAppReplica({
      githubUrl: gh.url,
      appId: APP_ID,
      key,
      keyPrefix,
      installationId: INSTALLATION,
    });
    await waitForRedis(app.getHttpServer(), 'up');
  });

  afterAll(async () => {
    await app?.close();
    await gh?.close();
    await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
  });

  it('should keep the token in Redis only until shortly before it expires', async () => {
    // Act
    expect((await request(app.getHttpServer()).get('/github/repos/octocat')).status).toBe(200);

    // Assert
    const [issued] = fakeApp.issued;
    const keys = await keysContaining(TEST_REDIS_URL, `${keyPrefix}:github-app:`);
    expect(keys).toHaveLength(1);
    const client = await connect();
    try {
      const [value, ttlMs] = await Promise.all([client.get(keys[0]), client.pTTL(keys[0])]);
      expect(value).toContain(issued.token);
      expect(ttlMs).toBeGreaterThan(0);
      // At least a quarter of its life (2 s of 8) before GitHub's expiry.
      expect(Date.now() + ttlMs).toBeLessThanOrEqual(issued.expiresAtMs - 1500);
    } finally {
      client.destroy();
    }
  });

  it('should buy the next token before the first expires, and never send an expired one', async () => {
    // Arrange: past the renewal time (6 s at the latest), before the expiry (7 s at the earliest).
    const [first] = fakeApp.issued;
    await sleep(Math.max(0, first.expiresAtMs - 1000 - 500 - Date.now()));
    expect(Date.now()).toBeLessThan(first.expiresAtMs);
    gh.reset();

    // Act
    const response = await request(app.getHttpServer())
      .get('/github/repos/octocat')
      .set('Cache-Control', 'no-cache');

    // Assert
    expect(response.status).toBe(200);
    expect(fakeApp.purchases(INSTALLATION)).toBe(2);
    const apiCalls = gh.requests.filter((r) => !r.path.startsWith('/app'));
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.map((r) => [r.headers.authorization, (r.status ?? 599) < 400])).toEqual(
      apiCalls.map(() => [`Bearer ${fakeApp.issued[1].token}`, true]),
    );
  });
});
