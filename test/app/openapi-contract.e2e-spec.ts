import { Server } from 'node:http';
import request from 'supertest';
import { FailureMode } from '../fake-github';
import { addContractAccounts, CONTRACT_CEILING } from '../support/contract-accounts';
import { Harness, startHarness } from '../support/harness';
import { ObservedAnswer, OpenApiContract } from '../support/openapi-contract';
import { ineffectiveNullables } from '../support/openapi-nullable-lint';
import { historyReady, snapshotsWritten } from '../support/history-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { ABSENT_REDIS_URL } from '../support/test-redis';

const TOKEN = 'ghp_contractTestToken0123456789abcdef';
const SORTS = ['stars', 'forks', 'name', 'updated', 'pushed', 'created'];
/** Methods this read-only API refuses on every path. */
const REFUSED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

interface Ask {
  method?: string;
  url: string;
  headers?: Record<string, string>;
}

/** The document of the first app booted here; every app of this file serves the same one. */
let contract: OpenApiContract;

async function ask(server: Server, { method = 'GET', url, headers = {} }: Ask) {
  const response = await request(server)[method.toLowerCase() as 'get'](url).set(headers);
  const answer: ObservedAnswer = {
    method,
    url,
    requestHeaders: headers,
    status: response.status,
    headers: response.headers,
    text: response.text ?? '',
  };
  return answer;
}

/** Sends a request and asserts both its status and that the answer keeps the document. */
async function expectDocumented(server: Server, asked: Ask, status: number) {
  const answer = await ask(server, asked);
  expect({ status: answer.status, violations: contract.violationsOf(answer) }).toEqual({
    status,
    violations: [],
  });
  return answer;
}

/** A URL for a documented path, its parameters filled with a valid login. */
function concrete(template: string): string {
  return template.replace(/\{[^}]+\}/g, 'octocat');
}

/** Every documented path, read from the document, so a new route is covered without a new line here. */
function documentedPaths(): string[] {
  return [...new Set(contract.documented.map((key) => key.split(' ')[1]))];
}

/**
 * The contract test: every route's real answers, success and error, run through a JSON Schema
 * validator built from the app's own `/docs-json`. The schema for each answer is picked from the
 * document by path, method, status and content type (test/support/openapi-contract.ts); an
 * undocumented status or content type fails, and the last test fails when a documented response
 * was never exercised here, so a new route or status cannot land untested.
 */
describe('OpenAPI contract: every answer is what /docs-json says', () => {
  describe('when GitHub answers', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({
        token: TOKEN,
        env: { GITHUB_MAX_REPOS_PER_ACCOUNT: String(CONTRACT_CEILING) },
      });
      addContractAccounts(h.gh);
      contract = await OpenApiContract.of(h.server);
    });

    afterAll(async () => {
      await h.close();
    });

    afterEach(() => {
      h.gh.reset();
    });

    it('should document the rate limit before GitHub has reported it (resetAt null)', async () => {
      // A dropped connection: GitHub's error answers carry rate-limit headers, which would count.
      h.gh.failNext({ pathPrefix: '/rate_limit', mode: 'reset', times: Infinity });

      const answer = await expectDocumented(h.server, { url: '/github/rate-limit' }, 200);

      expect(JSON.parse(answer.text)).toMatchObject({
        tokens: [{ resetAt: null, estimated: true }],
      });
    });

    it.each([
      ...SORTS.map((sort) => `/github/repos/octocat?sort=${sort}`),
      '/github/repos/octocat?sort=name&direction=desc',
      '/github/repos/octocat?language=none&includeForks=false',
      '/github/repos/octocat?language=TypeScript&perPage=5&page=2',
      '/github/repos/octocat?page=99',
      '/github/repos/ghost',
      '/github/repos/handmade',
      '/github/repos/huge-user?sort=pushed&perPage=100',
      ...SORTS.map((sort) => `/github/orgs/acme/repos?sort=${sort}`),
      '/github/orgs/empty-org/repos',
      '/github/orgs/huge-org/repos?sort=name',
      '/github/repos/handmade/bare',
      '/github/repos/handmade/noassertion',
      '/github/repos/handmade/full',
      '/github/repos/handmade/sparse',
      '/github/users/octocat',
      '/github/users/nameless',
      '/github/users/acme',
      '/github/users/ghost',
      '/github/users/octocat/summary',
      '/github/users/ghost/summary',
      '/github/users/handmade/summary',
      '/github/users/huge-user/summary',
      '/github/rate-limit',
      '/health',
      '/health/ready',
      '/metrics',
    ])('should answer GET, HEAD and a conditional GET of %s as documented', async (url) => {
      const ok = await expectDocumented(h.server, { url }, 200);
      await expectDocumented(h.server, { method: 'HEAD', url }, 200);

      const etag = ok.headers.etag;
      if (typeof etag === 'string') {
        await expectDocumented(h.server, { url, headers: { 'If-None-Match': etag } }, 304);
      }
    });

    it('should answer each of the first generated repositories as documented', async () => {
      for (const repo of h.gh.reposOf('octocat').slice(0, 12)) {
        await expectDocumented(h.server, { url: `/github/repos/octocat/${repo.name}` }, 200);
      }
    });

    it('should have met the partial answer and a repository without a licence', async () => {
      const partial = await ask(h.server, { url: '/github/repos/huge-user' });
      const bare = await ask(h.server, { url: '/github/repos/handmade/bare' });

      expect(JSON.parse(partial.text)).toMatchObject({ complete: false, publicRepos: 1234 });
      expect(JSON.parse(bare.text)).toMatchObject({ license: null, language: null });
    });

    it.each<[string, number]>([
      ['/github/repos/octocat?sort=bogus', 400],
      ['/github/repos/octocat?perPage=0', 400],
      ['/github/repos/octocat?unknown=1', 400],
      ['/github/repos/-bad-', 400],
      ['/github/orgs/acme/repos?direction=up', 400],
      ['/github/orgs/-bad-/repos', 400],
      ['/github/repos/octocat/bad%20name', 400],
      ['/github/repos/handmade/full?x=1', 400],
      ['/github/users/octocat?sort=stars', 400],
      ['/github/users/-bad-', 400],
      ['/github/users/octocat/summary?x=1', 400],
      ['/github/users/octocat/history?days=0', 400],
      ['/github/users/octocat/history?from=2026-02-30', 400],
      ['/github/repos/handmade/full/star-history?x=1', 400],
      ['/github/repos/handmade/full/star-history?interval=year', 400],
      ['/github/repos/nobody-here', 404],
      ['/github/orgs/nobody-here/repos', 404],
      ['/github/orgs/octocat/repos', 404],
      ['/github/users/nobody-here', 404],
      ['/github/users/nobody-here/summary', 404],
      ['/github/users/nobody-here/history', 404],
      ['/github/repos/octocat/no-such-repo/star-history', 404],
      // History is off in this app (no database): the routes say so, the others serve.
      ['/github/users/octocat/history', 503],
      ['/github/repos/handmade/full/star-history', 503],
      ['/github/repos/octocat/no-such-repo', 404],
      ['/github/repos/nobody-here/anything', 404],
      [`/github/repos/${'a'.repeat(201)}`, 414],
    ])('should answer GET and HEAD of %s with a documented %d', async (url, status) => {
      await expectDocumented(h.server, { url }, status);
      await expectDocumented(h.server, { method: 'HEAD', url }, status);
    });

    it('should answer request-limit refusals on every documented path as documented', async () => {
      const tooManyParameters = Array.from({ length: 21 }, (_, i) => `p${i}=1`).join('&');
      const tooLong = `language=${'a'.repeat(2100)}`;
      const seen: { url: string; status: number; violations: string[] }[] = [];

      for (const path of documentedPaths().map(concrete)) {
        for (const [url, status] of [
          [`${path}?${tooManyParameters}`, 400],
          [`${path}?${tooLong}`, 414],
        ] as const) {
          const answer = await ask(h.server, { url });
          seen.push({ url: url.slice(0, 60), status, violations: contract.violationsOf(answer) });
          expect(answer.status).toBe(status);
        }
      }

      expect(seen.flatMap((s) => s.violations)).toEqual([]);
    });

    it('should refuse methods the document does not list with its problem shape (405)', async () => {
      const violations: string[] = [];

      for (const path of documentedPaths().map(concrete)) {
        for (const method of REFUSED_METHODS) {
          const answer = await ask(h.server, { method, url: path });
          expect(answer.status).toBe(405);
          violations.push(...contract.refusalViolationsOf(answer));
        }
      }

      expect(violations).toEqual([]);
    });

    it('should answer a path the document does not have with its problem shape (404)', async () => {
      const answer = await ask(h.server, { url: '/github/no/such/route' });

      expect(answer.status).toBe(404);
      expect(contract.refusalViolationsOf(answer)).toEqual([]);
    });
  });

  describe('when GitHub fails', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ token: TOKEN, timeoutMs: 300 });
      contract ??= await OpenApiContract.of(h.server);
    });

    afterAll(async () => {
      await h.close();
    });

    afterEach(() => {
      h.gh.reset();
    });

    const routes: [string, (login: string) => string][] = [
      ['user repositories', (login) => `/github/repos/${login}`],
      ['organisation repositories', (login) => `/github/orgs/${login}/repos`],
      ['repository', (login) => `/github/repos/${login}/some-repo`],
      ['profile', (login) => `/github/users/${login}`],
      ['summary', (login) => `/github/users/${login}/summary`],
      ['account history', (login) => `/github/users/${login}/history`],
      ['star history', (login) => `/github/repos/${login}/some-repo/star-history`],
    ];
    // The primary rate limit comes last: once GitHub says the budget is spent, every later
    // request is refused until it refills, which is also a documented 503.
    const failures: [FailureMode, number][] = [
      ['server-error', 502],
      ['bad-gateway-html', 502],
      ['invalid-json', 502],
      ['reset', 502],
      ['hang', 504],
      ['primary-rate-limit', 503],
    ];

    it.each(
      failures.flatMap(([mode, status]) =>
        routes.map(([name, url], index) => ({ mode, status, name, url: url(`${mode}-${index}`) })),
      ),
    )('should answer $name with a documented $status when GitHub fails by $mode', async (c) => {
      h.gh.failNext({ mode: c.mode, times: Infinity });

      await expectDocumented(h.server, { url: c.url }, c.status);
    });
  });

  describe('when history is recorded', () => {
    let h: Harness;
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase();
      h = await startHarness({
        token: TOKEN,
        env: { DATABASE_URL: db.url, HISTORY_ENABLED: 'true', STAR_HISTORY_MAX_PAGES: '3' },
      });
      const [listed, sampled, refused, weekly] = h.gh.addUser('octocat', 4);
      const days = (n: number) =>
        Array.from({ length: n }, (_, i) =>
          new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
        );
      h.gh.setStargazers(listed.full_name, { starredAt: days(150), collaborators: [TOKEN] });
      h.gh.setStargazers(sampled.full_name, { starredAt: days(450), collaborators: [TOKEN] });
      h.gh.setStargazers(refused.full_name, { starredAt: days(20) });
      h.gh.setStargazers(weekly.full_name, { starredAt: days(40) });
      // GitHub's weekly history for the last one only; the others fall back (GitHub Enterprise Server).
      for (const repo of [listed, sampled, refused]) {
        h.gh.failNext({
          pathPrefix: `/repos/${repo.full_name.toLowerCase()}/stargazers/history`,
          mode: 'not-found',
          times: Infinity,
        });
      }
      contract ??= await OpenApiContract.of(h.server);
      await historyReady(h.app);
      await request(h.server).get('/github/users/octocat/summary').expect(200);
      await snapshotsWritten(h.app);
    });

    afterAll(async () => {
      await h.close();
      await db.drop();
    });

    it.each([
      '/github/users/octocat/history',
      '/github/users/octocat/history?days=7',
      '/github/users/octocat/history?from=2020-01-01&to=2020-01-31',
      '/github/repos/octocat/{0}/star-history',
      '/github/repos/octocat/{1}/star-history',
      '/github/repos/octocat/{2}/star-history',
      '/github/repos/octocat/{3}/star-history',
      '/github/repos/octocat/{3}/star-history?interval=week',
      '/github/repos/octocat/{0}/star-history?interval=month',
    ])('should answer GET, HEAD and a conditional GET of %s as documented', async (template) => {
      const names = h.gh.reposOf('octocat').map((repo) => repo.name);
      const url = template.replace(/\{(\d)\}/, (_, i: string) => names[Number(i)]);
      const ok = await expectDocumented(h.server, { url }, 200);
      await expectDocumented(h.server, { method: 'HEAD', url }, 200);
      await expectDocumented(
        h.server,
        { url, headers: { 'If-None-Match': String(ok.headers.etag) } },
        304,
      );
    });

    it.each(['/github/users/octocat/history?days=7', '/github/repos/octocat/{0}/star-history'])(
      'should answer %s as documented CSV when asked for text/csv',
      async (template) => {
        const names = h.gh.reposOf('octocat').map((repo) => repo.name);
        const url = template.replace(/\{(\d)\}/, (_, i: string) => names[Number(i)]);
        const csv = { Accept: 'text/csv' };

        const ok = await expectDocumented(h.server, { url, headers: csv }, 200);
        await expectDocumented(h.server, { method: 'HEAD', url, headers: csv }, 200);
        await expectDocumented(
          h.server,
          { url, headers: { ...csv, 'If-None-Match': String(ok.headers.etag) } },
          304,
        );

        expect(ok.headers['content-type']).toBe('text/csv; charset=utf-8');
      },
    );
  });

  describe('when a client has spent its throttle budget', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ env: { THROTTLE_LIMIT: '1', THROTTLE_TTL_SECONDS: '60' } });
      h.gh.addUser('octocat', 3);
      contract ??= await OpenApiContract.of(h.server);
    });

    afterAll(async () => {
      await h.close();
    });

    it('should answer every documented path as documented, 429 where it throttles', async () => {
      await expectDocumented(h.server, { url: '/github/repos/octocat' }, 200);
      const statuses: number[] = [];
      const violations: string[] = [];

      for (const url of documentedPaths().map(concrete)) {
        const answer = await ask(h.server, { url });
        statuses.push(answer.status);
        violations.push(...contract.violationsOf(answer));
      }

      expect(violations).toEqual([]);
      expect(statuses).toContain(429);
    });
  });

  describe('when Redis is unreachable, then the app shuts down', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ env: { REDIS_URL: ABSENT_REDIS_URL } });
      contract ??= await OpenApiContract.of(h.server);
    });

    afterAll(async () => {
      await h.close();
    });

    it('should report readiness degraded as documented', async () => {
      const answer = await expectDocumented(h.server, { url: '/health/ready' }, 200);

      expect(JSON.parse(answer.text)).toMatchObject({ status: 'degraded' });
    });

    it('should answer the probes with the documented 503 while shutting down', async () => {
      // What SIGTERM does first (Terminus then says shutting_down), short of closing the server.
      await (
        h.app as unknown as { callBeforeShutdownHook(signal: string): Promise<void> }
      ).callBeforeShutdownHook('SIGTERM');

      await expectDocumented(h.server, { url: '/health' }, 503);
      await expectDocumented(h.server, { url: '/health/ready' }, 503);
    });
  });

  describe('the document', () => {
    it('should have had every response it documents exercised above', () => {
      expect(contract.unseen).toEqual([]);
    });

    it('should say nullable only where OpenAPI 3.0 reads it as admitting null', () => {
      const nullableIsAKeyword = contract.document.openapi.startsWith('3.0.');

      expect(nullableIsAKeyword ? ineffectiveNullables(contract.document) : []).toEqual([]);
    });
  });
});
