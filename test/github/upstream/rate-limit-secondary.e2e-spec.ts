import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';

const TOKEN = 'ghp_e2eSecondarySecretToken0123';
/**
 * The most page requests that may legitimately reach GitHub for a 13-page account once one page
 * is refused: page 1, the 4 fetched at once, and 3 more sent by workers whose page was answered
 * before the refusal was read. Carrying on regardless would send all 13.
 */
const MAX_REQUESTS_AFTER_REFUSAL = 1 + 4 + 3;

/**
 * GitHub's secondary limit pauses all traffic, so this file has an app of its own. GitHub's
 * advice: wait `retry-after`, and send nothing meanwhile (it can get an integration banned).
 */
describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: TOKEN });
    h.gh.addUser('busy-account', 1234);
    h.gh.addUser('trigger-account', 3);
    h.gh.addUser('other-account', 3);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/repos/:username when GitHub asks to slow down', () => {
    it('should answer 503 with Retry-After 60 and stop fetching pages', async () => {
      // The first later page to arrive (2 to 5 are asked at once) is refused.
      h.gh.failNext({ pathPrefix: '/user/', mode: 'secondary-rate-limit', retryAfterSeconds: 60 });

      const response = await request(h.server).get('/github/repos/busy-account');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const problem = expectProblem(response, 503, [TOKEN]);
      // 60 from GitHub's header; 59 if a second passed before a paused fetch reported the wait.
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(59);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(problem.retryAfter).toBe(retryAfter);
      expect(h.gh.countRequests('/user')).toBeLessThanOrEqual(MAX_REQUESTS_AFTER_REFUSAL);
    });

    it('should send nothing to GitHub for another account during the pause', async () => {
      h.gh.failNext({
        pathPrefix: '/users/trigger-account/',
        mode: 'secondary-rate-limit',
        retryAfterSeconds: 60,
      });
      await request(h.server).get('/github/repos/trigger-account');
      h.gh.reset();

      const response = await request(h.server).get('/github/repos/other-account');

      expectProblem(response, 503, [TOKEN]);
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Counted for this account only: a page of an earlier case may still be on its way.
      expect(h.gh.countRequests('/users/other-account')).toBe(0);
    });
  });
});
