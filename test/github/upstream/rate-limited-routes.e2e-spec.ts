import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { rawGet } from '../../support/raw-get';
import { DASHBOARD_ROUTES, loginFor, SUMMARY_ROUTE } from '../../support/dashboard-routes';

const TOKEN = 'ghp_dashboardRateLimitSecret012345';
const SECONDARY_RETRY_AFTER_SECONDS = 60;
const PRIMARY_RESET_IN_SECONDS = 1800;

/**
 * A rate limit stops all upstream traffic (secondary) or rests the token until GitHub's reset
 * (primary): the app that met one is no use for the next case. So, unlike the other files, every
 * route gets an app of its own here (a boot costs well under a second, waiting out a pause more).
 */
describe('Dashboard routes when GitHub rate-limits us', () => {
  describe.each(DASHBOARD_ROUTES)('$name', (route) => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ token: TOKEN });
    });

    afterAll(async () => {
      await h.close();
    });

    it("should answer a secondary rate limit with a 503 problem carrying GitHub's Retry-After", async () => {
      const login = loginFor(route, 'slow-down');
      const path = route.arrange(h.gh, login);
      h.gh.failNext({
        pathPrefix: route.upstreamPrefix(login),
        mode: 'secondary-rate-limit',
        retryAfterSeconds: SECONDARY_RETRY_AFTER_SECONDS,
        times: Infinity,
      });

      const response = await rawGet(h.server, path);

      const problem = expectProblem(response, 503, [TOKEN]);
      expect(problem).toMatchObject({
        type: 'urn:github-dashboard:problem:rate-limited',
        title: 'GitHub rate limit reached',
        instance: path,
      });
      expect(response.headers['retry-after']).toBe(String(SECONDARY_RETRY_AFTER_SECONDS));
      expect(problem.retryAfter).toBe(SECONDARY_RETRY_AFTER_SECONDS);
      expect(h.gh.countRequests(route.upstreamPrefix(login))).toBeGreaterThanOrEqual(1);
    });

    it('should then answer 503 for another account without asking GitHub during the pause', async () => {
      const path = route.arrange(h.gh, loginFor(route, 'during-pause'));
      h.gh.reset();

      const response = await rawGet(h.server, path);

      expectProblem(response, 503, [TOKEN]);
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(SECONDARY_RETRY_AFTER_SECONDS);
      expect(h.gh.requests).toEqual([]);
    });
  });

  describe(`${SUMMARY_ROUTE.name} when the primary budget is spent`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ token: TOKEN });
    });

    afterAll(async () => {
      await h.close();
    });

    it("should answer a 503 problem with Retry-After counting down to GitHub's reset", async () => {
      const login = loginFor(SUMMARY_ROUTE, 'spent');
      const path = SUMMARY_ROUTE.arrange(h.gh, login);
      h.gh.failNext({
        pathPrefix: SUMMARY_ROUTE.upstreamPrefix(login),
        mode: 'primary-rate-limit',
        resetEpochSeconds: Math.floor(Date.now() / 1000) + PRIMARY_RESET_IN_SECONDS,
        times: Infinity,
      });

      const response = await rawGet(h.server, path);

      const problem = expectProblem(response, 503, [TOKEN]);
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(PRIMARY_RESET_IN_SECONDS - 10);
      expect(retryAfter).toBeLessThanOrEqual(PRIMARY_RESET_IN_SECONDS);
      expect(problem.retryAfter).toBe(retryAfter);
      expect(response.text).not.toMatch(/API rate limit exceeded/);
    });

    it.each(DASHBOARD_ROUTES)(
      '$name should then answer 503 without asking GitHub before the reset',
      async (route) => {
        const path = route.arrange(h.gh, loginFor(route, 'after-spent'));
        h.gh.reset();

        const response = await rawGet(h.server, path);

        expectProblem(response, 503, [TOKEN]);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(
          PRIMARY_RESET_IN_SECONDS - 10,
        );
        expect(h.gh.requests).toEqual([]);
      },
    );
  });
});
