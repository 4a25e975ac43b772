import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { InstallationTokens } from '../../../src/github/app-auth/installation-tokens';
import { waitForRedis } from '../../support/upstream';
import { FakeGithub } from '../../fake-github';
import { FakeGithubApp, UNDECODABLE_JWT } from '../../fake-github/github-app';
import { AMPLE_BUDGET } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../../support/test-redis';
import { waitFor } from '../../support/wait-for';
import { AppKey, bootAppReplica, newAppKey } from '../../support/github-app-setup';

jest.setTimeout(30_000);

const APP_ID = 4343;
const UNKNOWN_APP_ID = 999_999;
const REFUSAL_LOG = 'GitHub refused the GitHub App';

/** The lines of the key's body: none of them may appear in a log line or an answer. */
function keyLines(key: AppKey): string[] {
  return key.pem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
}

/**
 * A key or an App id GitHub does not accept (issue 22): one clear log line (the App id and
 * GitHub's message, never the key or a token), 503 problems for what needs GitHub, cached data
 * still served from the cache a healthy replica filled, `/health` up, and GitHub not asked again.
 */
describe(`${InstallationTokens.name} when GitHub refuses the App`, () => {
  let gh: FakeGithub;
  let fakeApp: FakeGithubApp;
  let rightKey: AppKey;
  const keyPrefix = uniqueKeyPrefix('github-app-refused');
  let healthy: NestFastifyApplication;
  /** Every line any replica of this file logs (pino's level is set by the first app a process boots). */
  const allLogs: string[] = [];
  /** The lines since the replica under test started. */
  let logs: string[] = [];
  let restoreStdout: (() => void) | undefined;

  beforeAll(async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      allLogs.push(String(chunk));
      logs.push(String(chunk));
      return true;
    });
    restoreStdout = () => spy.mockRestore();
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    gh.addUser('octocat', 3);
    gh.addUser('hubot', 2);
    rightKey = newAppKey();
    fakeApp = gh.setApp({
      appId: APP_ID,
      publicKey: rightKey.publicKey,
      installations: [
        { id: 8001, account: 'octocat' },
        { id: 8002, account: 'hubot' },
      ],
    });
    // A replica that works fills the shared cache with octocat's repositories.
    healthy = await bootAppReplica({
      githubUrl: gh.url,
      appId: APP_ID,
      key: rightKey,
      keyPrefix,
      env: { LOG_LEVEL: 'debug' },
    });
    await waitForRedis(healthy.getHttpServer(), 'up');
    expect((await request(healthy.getHttpServer()).get('/github/repos/octocat')).status).toBe(200);
  });

  afterAll(async () => {
    await healthy?.close();
    restoreStdout?.();
    await gh?.close();
    await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
  });

  describe.each<[string, () => { appId: number; key: AppKey; installationId?: number }]>([
    ['a private key GitHub does not know', () => ({ appId: APP_ID, key: newAppKey() })],
    ['an App id GitHub does not know', () => ({ appId: UNKNOWN_APP_ID, key: rightKey })],
    [
      // Nothing is listed at start-up: the first token purchase is refused.
      'a private key GitHub does not know and GITHUB_APP_INSTALLATION_ID',
      () => ({ appId: APP_ID, key: newAppKey(), installationId: 8002 }),
    ],
  ])('with %s', (_what, credentials) => {
    let app: NestFastifyApplication;
    let key: AppKey;
    let appId: number;

    beforeAll(async () => {
      gh.reset();
      logs = [];
      const settings = credentials();
      key = settings.key;
      appId = settings.appId;
      app = await bootAppReplica({
        githubUrl: gh.url,
        ...settings,
        keyPrefix,
        env: { LOG_LEVEL: 'debug' },
      });
      await waitForRedis(app.getHttpServer(), 'up');
      if (settings.installationId === undefined) {
        // The App's installations are listed at start-up: the refusal is known before any visitor.
        await waitFor('the refusal to be logged', () =>
          Promise.resolve(logs.some((line) => line.includes(REFUSAL_LOG))),
        );
      }
    });

    afterAll(async () => {
      await app?.close();
    });

    it('should still serve what is cached', async () => {
      // Act
      const response = await request(app.getHttpServer()).get('/github/repos/octocat');

      // Assert
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 3 });
    });

    it('should answer a 503 problem for what needs GitHub, naming no credential', async () => {
      // Act
      const response = await request(app.getHttpServer()).get('/github/repos/hubot');

      // Assert
      const problem = expectProblem(response, 503, [
        ...keyLines(key),
        ...fakeApp.issued.map((t) => t.token),
      ]);
      expect(problem.type).toBe('urn:github-dashboard:problem:github-credentials-refused');
    });

    it('should keep /health up', async () => {
      expect((await request(app.getHttpServer()).get('/health')).status).toBe(200);
    });

    it("should log the refusal once, with the App id and GitHub's message, and never the key or a token", async () => {
      // Arrange: more requests that need GitHub.
      await request(app.getHttpServer()).get('/github/repos/hubot');
      await request(app.getHttpServer()).get('/github/users/hubot');

      // Assert
      const refusals = logs.filter((line) => line.includes(REFUSAL_LOG));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toContain(`"appId":${appId}`);
      expect(refusals[0]).toContain(UNDECODABLE_JWT);
      expect(allLogs.join('')).toContain('GitHub App installations found');
      const everything = allLogs.join('');
      for (const secret of [...keyLines(key), ...fakeApp.issued.map((t) => t.token)]) {
        expect(everything).not.toContain(secret);
      }
      expect(everything).not.toMatch(/bearer eyJ/i);
    });

    it('should not ask GitHub again after the refusal', () => {
      const appCalls = gh.requests.filter((r) => r.path.startsWith('/app'));
      expect(appCalls.map((r) => r.status)).toEqual([401]);
      expect(gh.requests.filter((r) => !r.path.startsWith('/app'))).toEqual([]);
    });
  });
});
