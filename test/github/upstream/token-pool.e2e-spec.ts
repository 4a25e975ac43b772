import { createHash } from 'node:crypto';
import request from 'supertest';
import { RateLimitController } from '../../../src/github/rate-limit/rate-limit.controller';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { Harness, startHarness } from '../../support/harness';
import { repoListRequests } from '../../support/upstream';

const TOKEN_A = 'ghp_e2ePoolTokenAlpha0123456789';
const TOKEN_B = 'ghp_e2ePoolTokenBravo0123456789';
const BEARER_A = `Bearer ${TOKEN_A}`;
const BEARER_B = `Bearer ${TOKEN_B}`;
const TOKENS = [TOKEN_A, TOKEN_B];

/** The documented log/metrics name of a token: never the token, a short hash of it. */
function fingerprint(token: string): string {
  return `tok_${createHash('sha256').update(token).digest('hex').slice(0, 8)}`;
}

function expectNoToken(response: request.Response): void {
  const seen = JSON.stringify(response.headers) + (response.text ?? '');
  for (const token of TOKENS) {
    expect(seen).not.toContain(token);
  }
}

interface RateLimitBody {
  tokens: { fingerprint: string; limit: number; remaining: number; estimated: boolean }[];
}

/**
 * GITHUB_TOKEN="A,B": each request goes to the token with the most budget, a cached page is
 * revalidated on the token its ETag belongs to, and a token GitHub rejects is dropped. A starts
 * low (300 left) and B high (4,000). The cases build on each other: one app, one pool.
 */
describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: TOKENS.join(','), env: { CACHE_TTL_SECONDS: '60' } });
    h.gh.setRateLimit({ limit: 5000, remaining: 300, authorization: BEARER_A });
    h.gh.setRateLimit({ limit: 5000, remaining: 4000, authorization: BEARER_B });
    for (const login of [
      'pool-1',
      'pool-2',
      'pool-3',
      'sticky',
      'teaches-b',
      'after-switch',
      'victim',
      'after-drop-1',
      'after-drop-2',
    ]) {
      h.gh.addUser(login, 3);
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe(`${RateLimitController.name} GET /github/rate-limit`, () => {
    it("should list each token by fingerprint with GitHub's budget, spending none of it", async () => {
      const response = await request(h.server).get('/github/rate-limit');

      expect(response.status).toBe(200);
      expect((response.body as RateLimitBody).tokens).toEqual([
        expect.objectContaining({
          fingerprint: fingerprint(TOKEN_A),
          limit: 5000,
          remaining: 300,
          estimated: false,
        }),
        expect.objectContaining({
          fingerprint: fingerprint(TOKEN_B),
          limit: 5000,
          remaining: 4000,
          estimated: false,
        }),
      ]);
      expectNoToken(response);
      expect(h.gh.requests.every((r) => r.path === '/rate_limit')).toBe(true);
      expect([h.gh.rateLimitOf(BEARER_A).remaining, h.gh.rateLimitOf(BEARER_B).remaining]).toEqual([
        300, 4000,
      ]);
    });
  });

  describe('GET /github/repos/:username with two tokens', () => {
    it('should send each request with the token that has the most budget', async () => {
      await request(h.server).get('/github/rate-limit');
      h.gh.reset();

      const responses = [];
      for (const login of ['pool-1', 'pool-2', 'pool-3']) {
        responses.push(await request(h.server).get(`/github/repos/${login}`));
      }

      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      responses.forEach(expectNoToken);
      expect(h.gh.requests.map((r) => r.headers.authorization)).toEqual([
        BEARER_B,
        BEARER_B,
        BEARER_B,
      ]);
    });

    it('should revalidate a page on the token that fetched it, then switch new fetches to the token with more budget', async () => {
      await request(h.server).get('/github/repos/sticky');
      expect(h.gh.requests.map((r) => r.headers.authorization)).toEqual([BEARER_B]);
      // B drops below A; GitHub tells the service so on B's next answer.
      h.gh.setRateLimit({ limit: 5000, remaining: 100, authorization: BEARER_B });
      await request(h.server).get('/github/repos/teaches-b');
      h.gh.reset();

      const revalidated = await request(h.server)
        .get('/github/repos/sticky')
        .set('Cache-Control', 'no-cache');
      const fresh = await request(h.server).get('/github/repos/after-switch');

      expect(revalidated.headers['x-cache']).toBe('REVALIDATED');
      const sticky = repoListRequests(h.gh, 'sticky');
      expect(sticky.map((r) => [r.headers.authorization, r.status])).toEqual([[BEARER_B, 304]]);
      expect(sticky[0].headers['if-none-match']).toEqual(expect.any(String));
      expect(fresh.status).toBe(200);
      expect(repoListRequests(h.gh, 'after-switch').map((r) => r.headers.authorization)).toEqual([
        BEARER_A,
      ]);
    });
  });

  describe('GET /github/repos/:username after GitHub rejects a token with 401', () => {
    let victim: request.Response;
    let attempts: { authorization?: string; status?: number }[];

    beforeAll(async () => {
      h.gh.reset();
      // A has the most budget now (300 against B's ~100), so the 401 lands on A.
      h.gh.failNext({ pathPrefix: '/users/victim/', mode: 'bad-credentials' });
      victim = await request(h.server).get('/github/repos/victim');
      attempts = h.gh.requests.map((r) => ({
        authorization: r.headers.authorization,
        status: r.status,
      }));
    });

    it('should serve the request that met the 401 with the other token', () => {
      expect(victim.status).toBe(200);
      expectNoToken(victim);
      expect(attempts).toEqual([
        { authorization: BEARER_A, status: 401 },
        { authorization: BEARER_B, status: 200 },
      ]);
    });

    it('should use only the remaining token afterwards', async () => {
      const responses = [
        await request(h.server).get('/github/repos/after-drop-1'),
        await request(h.server).get('/github/repos/after-drop-2'),
      ];

      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(h.gh.requests.map((r) => r.headers.authorization)).toEqual([BEARER_B, BEARER_B]);
    });

    it('should list only the remaining token on /github/rate-limit, by fingerprint', async () => {
      const response = await request(h.server).get('/github/rate-limit');

      expect(response.status).toBe(200);
      expect((response.body as RateLimitBody).tokens.map((t) => t.fingerprint)).toEqual([
        fingerprint(TOKEN_B),
      ]);
      expectNoToken(response);
    });
  });

  describe('every route', () => {
    it('should never show a token in a response body or header, errors included', async () => {
      h.gh.failNext({
        pathPrefix: '/users/failing-upstream/',
        mode: 'server-error',
        times: Infinity,
      });
      h.gh.addUser('failing-upstream', 3);

      const responses = [
        await request(h.server).get('/github/repos/pool-1'),
        await request(h.server).get('/github/repos/pool-1').set('Cache-Control', 'no-cache'),
        await request(h.server).get('/github/users/pool-1'),
        await request(h.server).get('/github/repos/nobody-at-all'),
        await request(h.server).get('/github/repos/failing-upstream'),
        await request(h.server).get('/github/rate-limit'),
        await request(h.server).get('/health/ready'),
      ];

      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 404, 502, 200, 200]);
      responses.forEach(expectNoToken);
    });
  });
});
