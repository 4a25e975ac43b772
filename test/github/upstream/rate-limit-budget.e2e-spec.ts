import request from 'supertest';
import { RateLimitController } from '../../../src/github/rate-limit/rate-limit.controller';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';

const TOKEN = 'ghp_e2eBudgetSecretToken0123456';
const RESET_IN_SECONDS = 600;

/** The fake's own budget running out, as GitHub's does: no scripted failure involved. */
describe(ReposController.name, () => {
  let h: Harness;
  let resetEpochSeconds: number;

  beforeAll(async () => {
    h = await startHarness({ token: TOKEN });
    h.gh.addUser('three-pages', 250);
    h.gh.addUser('small-account', 2);
    resetEpochSeconds = Math.floor(Date.now() / 1000) + RESET_IN_SECONDS;
    // One request left: page 1 of 3 is the last GitHub will answer.
    h.gh.setRateLimit({
      limit: 5000,
      remaining: 1,
      resetEpochSeconds,
      authorization: `Bearer ${TOKEN}`,
    });
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  /** Spends the last request (idempotent: once spent, the service stops asking). */
  async function spendBudget(): Promise<void> {
    await request(h.server).get('/github/repos/three-pages');
    h.gh.reset();
  }

  describe('GET /github/repos/:username when the token runs out mid-listing', () => {
    it('should answer 503 with Retry-After until the reset instead of a partial list', async () => {
      const response = await request(h.server).get('/github/repos/three-pages');

      const problem = expectProblem(response, 503, [TOKEN]);
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(RESET_IN_SECONDS - 10);
      expect(retryAfter).toBeLessThanOrEqual(RESET_IN_SECONDS);
      expect(problem.retryAfter).toBe(retryAfter);
      expect(h.gh.rateLimitOf(`Bearer ${TOKEN}`).remaining).toBe(0);
    });

    it('should not spend requests GitHub would refuse', async () => {
      await spendBudget();

      const response = await request(h.server).get('/github/repos/small-account');

      expectProblem(response, 503, [TOKEN]);
      expect(h.gh.requests.filter((r) => !r.path.startsWith('/rate_limit'))).toEqual([]);
    });
  });

  describe(`${RateLimitController.name} GET /github/rate-limit`, () => {
    it('should report the spent budget and its reset, naming the token only by fingerprint', async () => {
      await spendBudget();

      const response = await request(h.server).get('/github/rate-limit');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        tokens: [
          {
            fingerprint: expect.stringMatching(/^tok_[0-9a-f]+$/),
            limit: 5000,
            remaining: 0,
            used: 5000,
            resetAt: new Date(resetEpochSeconds * 1000).toISOString(),
            estimated: false,
          },
        ],
      });
      expect(response.text).not.toContain(TOKEN);
    });
  });
});
