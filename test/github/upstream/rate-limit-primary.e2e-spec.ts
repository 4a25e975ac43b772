import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';

const RESET_IN_SECONDS = 1800;

/**
 * GitHub's primary limit, without a token: GitHub's refusal then names the caller's IP address,
 * which must not reach our client. The service remembers the spent budget, so this file has an app
 * of its own.
 */
describe(ReposController.name, () => {
  let h: Harness;
  let resetEpochSeconds: number;

  beforeAll(async () => {
    h = await startHarness();
    h.gh.addUser('limited-one', 3);
    h.gh.addUser('limited-two', 3);
    h.gh.addUser('limited-three', 3);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
    resetEpochSeconds = Math.floor(Date.now() / 1000) + RESET_IN_SECONDS;
    h.gh.failNext({ mode: 'primary-rate-limit', resetEpochSeconds, times: Infinity });
  });

  describe('GET /github/repos/:username when the primary rate limit is spent', () => {
    it("should answer 503 with Retry-After counting down to GitHub's reset", async () => {
      const response = await request(h.server).get('/github/repos/limited-one');

      const problem = expectProblem(response, 503);
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(RESET_IN_SECONDS - 10);
      expect(retryAfter).toBeLessThanOrEqual(RESET_IN_SECONDS);
      expect(problem.retryAfter).toBe(retryAfter);
      expect(response.text).not.toMatch(/API rate limit exceeded for/);
    });

    it('should not ask GitHub again before the reset', async () => {
      await request(h.server).get('/github/repos/limited-two');
      h.gh.reset();

      const response = await request(h.server).get('/github/repos/limited-three');

      expectProblem(response, 503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(RESET_IN_SECONDS - 10);
      expect(h.gh.requests.filter((r) => !r.path.startsWith('/rate_limit'))).toEqual([]);
    });
  });
});
