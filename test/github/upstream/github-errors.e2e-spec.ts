import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { FailureMode } from '../../fake-github';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';

const TOKEN = 'ghp_e2eErrorsSecretToken0123456789';
const TIMEOUT_MS = 1000;

/**
 * Each case uses its own account: the service serves the last good copy when GitHub fails, so an
 * account that was ever fetched would hide the failure under test.
 */
describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: TOKEN, timeoutMs: TIMEOUT_MS });
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  /** A fresh account whose every upstream request fails in `mode`. */
  function failingAccount(login: string, mode: FailureMode, repos = 3): void {
    h.gh.addUser(login, repos);
    h.gh.failNext({ pathPrefix: `/users/${login}/`, mode, times: Infinity });
  }

  describe('GET /github/repos/:username when GitHub fails', () => {
    it('should map an unknown GitHub user to 404, asking GitHub once', async () => {
      const response = await request(h.server).get('/github/repos/nobody-here');

      const problem = expectProblem(response, 404, [TOKEN]);
      expect(problem.instance).toBe('/github/repos/nobody-here');
      expect(h.gh.countRequests('/users/nobody-here/')).toBe(1);
    });

    it('should map a GitHub 404 for a listed user to 404', async () => {
      failingAccount('gone-user', 'not-found');

      const response = await request(h.server).get('/github/repos/gone-user');

      expectProblem(response, 404, [TOKEN]);
    });

    it.each<[FailureMode, string]>([
      ['server-error', 'a 500'],
      ['bad-gateway-html', 'a 502 HTML page'],
      ['invalid-json', 'a body that is not JSON'],
      ['reset', 'a reset connection'],
    ])('should map %s (%s) to 502, retrying at most twice', async (mode) => {
      const login = `fails-${mode}`;
      failingAccount(login, mode);

      const response = await request(h.server).get(`/github/repos/${login}`);

      const problem = expectProblem(response, 502, [TOKEN]);
      expect(problem.title).toBe('Bad Gateway');
      expect(h.gh.countRequests(`/users/${login}/`)).toBeGreaterThanOrEqual(1);
      expect(h.gh.countRequests(`/users/${login}/`)).toBeLessThanOrEqual(3);
    });

    it('should map a GitHub that never answers to 504 within the configured timeout', async () => {
      failingAccount('hangs-forever', 'hang');
      const startedAt = performance.now();

      const response = await request(h.server).get('/github/repos/hangs-forever');

      const elapsedMs = performance.now() - startedAt;
      const problem = expectProblem(response, 504, [TOKEN]);
      expect(problem.title).toBe('Gateway Timeout');
      // Generous above: a loaded CI machine is slow, but a missing deadline would hang for good.
      expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS * 2.5);
    });

    it('should answer 502 rather than a partial list when a later page fails', async () => {
      const repos = h.gh.addUser('later-page-fails', 250);
      h.gh.failNext({
        pathPrefix: `/user/${repos[0].owner.id}/repos`,
        mode: 'server-error',
        times: Infinity,
      });

      const response = await request(h.server).get('/github/repos/later-page-fails');

      expectProblem(response, 502, [TOKEN]);
    });

    it('should recover from a single GitHub 500 by trying again', async () => {
      h.gh.addUser('one-hiccup', 3);
      h.gh.failNext({ pathPrefix: '/users/one-hiccup/', mode: 'server-error', times: 1 });

      const response = await request(h.server).get('/github/repos/one-hiccup');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 3 });
      expect(h.gh.countRequests('/users/one-hiccup/')).toBe(2);
    });
  });

  describe('GET /github/repos/:username with a token', () => {
    it('should send the token to GitHub as a Bearer Authorization header', async () => {
      h.gh.addUser('token-check', 2);

      const response = await request(h.server).get('/github/repos/token-check');

      expect(response.status).toBe(200);
      expect(h.gh.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
      expect(JSON.stringify(response.headers) + response.text).not.toContain(TOKEN);
    });
  });
});
