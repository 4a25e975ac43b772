import request from 'supertest';
import { ProblemDetailsFilter } from '../../src/common/problem-details.filter';
import { requestIdFrom } from '../../src/logging/request-id';
import { addSecurityHeaders } from '../../src/common/security-headers';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP conventions', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    h.gh.addUser('octocat', 3);
  });

  afterAll(async () => {
    await h.close();
  });

  describe(ProblemDetailsFilter.name, () => {
    it('should answer an unknown route with a 404 problem', async () => {
      const response = await request(h.server).get('/no/such/route?x=1');

      const problem = expectProblem(response, 404);
      expect(problem.instance).toBe('/no/such/route');
    });

    it('should answer a method other than GET, HEAD or OPTIONS with a 405 problem and Allow', async () => {
      const response = await request(h.server).delete('/github/repos/octocat');

      expectProblem(response, 405);
      expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    });
  });

  describe(`security headers (${addSecurityHeaders.name})`, () => {
    it.each([
      ['/health', 200],
      ['/github/repos/octocat', 200],
      ['/github/repos/-bad-', 400],
      ['/no/such/route', 404],
      ['/docs', 200],
    ])("should send helmet's headers with our CSP on %s (%d)", async (path, status) => {
      const response = await request(h.server).get(path);

      expect(response.status).toBe(status);
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("img-src 'self' data: https://avatars.githubusercontent.com");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe(`X-Request-Id (${requestIdFrom.name})`, () => {
    it.each([
      ['/health', 200],
      ['/github/repos/octocat', 200],
      ['/github/repos/-bad-', 400],
      ['/github/repos/nobody-here', 404],
      ['/no/such/route', 404],
    ])("should echo the caller's id on %s (%d)", async (path, status) => {
      const response = await request(h.server).get(path).set('X-Request-Id', 'e2e-req-42.a:b');

      expect(response.status).toBe(status);
      expect(response.headers['x-request-id']).toBe('e2e-req-42.a:b');
    });

    it('should generate a distinct id when none is given', async () => {
      const first = await request(h.server).get('/health');
      const second = await request(h.server).get('/health');

      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it.each([
      ['spaces and quotes', 'id with "quotes"'],
      ['an encoded line break', 'abc%0d%0aforged: yes'],
      ['129 characters', 'x'.repeat(129)],
    ])('should replace an id with %s by a generated one', async (_what, id) => {
      const response = await request(h.server).get('/health').set('X-Request-Id', id);

      expect(response.headers['x-request-id']).toMatch(UUID);
    });
  });
});
