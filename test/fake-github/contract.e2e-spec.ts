import { FakeGithub, FailureMode, GithubRepoJson } from './';
import { descriptionVersion } from '../support/github-description/github-description';
import { ResponseContract } from '../support/github-description/response-contract';
import { RawResponse, rawGet } from '../support/raw-get';

const UA = { 'user-agent': 'fake-github-contract' };
const TOKEN = { authorization: 'Bearer ghp_contract' };
const STAR_JSON = { accept: 'application/vnd.github.star+json' };
/** What the service sends, so what most checks ask for; a few ask for the deprecated 2022-11-28. */
const V2026 = { 'x-github-api-version': '2026-03-10' };
const V2022 = { 'x-github-api-version': '2022-11-28' };

/** `count` ISO date-times an hour apart, oldest first, as GitHub writes them. */
const hourly = (count: number): string[] =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
  );

interface Checked {
  response: RawResponse;
  problems: string[];
}

/**
 * Every kind of answer the fake gives, checked against GitHub's own OpenAPI description: what the
 * e2e suites, the benchmark and the smoke test believe GitHub to be must be what GitHub documents.
 */
describe(`FakeGithub against GitHub's description (${descriptionVersion()})`, () => {
  let gh: FakeGithub;
  let contract: ResponseContract;
  let octocat: GithubRepoJson[];

  const check = async (path: string, headers: Record<string, string> = TOKEN): Promise<Checked> => {
    const response = await rawGet(gh.url, path, { ...UA, ...V2026, ...headers });
    return { response, problems: contract.check('GET', path, response) };
  };
  const json = <T>(response: RawResponse): T => JSON.parse(response.text) as T;
  const find = (predicate: (repo: GithubRepoJson) => boolean): GithubRepoJson => {
    const repo = octocat.find(predicate);
    if (!repo) {
      throw new Error('The generated data has no repository for this case');
    }
    return repo;
  };

  /** Every page of a list, following `Link` as a client must (to the `/user/{id}/...` forms). */
  const checkAllPages = async (
    path: string,
    headers: Record<string, string> = TOKEN,
  ): Promise<{ pages: Checked[]; repos: unknown[] }> => {
    const pages: Checked[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const page = await check(next, headers);
      pages.push(page);
      const link = /<([^>]+)>; rel="next"/.exec(String(page.response.headers.link ?? ''));
      next = link ? new URL(link[1]).pathname + new URL(link[1]).search : undefined;
    }
    return { pages, repos: pages.flatMap((page) => json<unknown[]>(page.response)) };
  };

  beforeAll(async () => {
    contract = new ResponseContract();
    gh = await FakeGithub.start();
    gh.setRateLimit({ limit: 10_000 });
    octocat = gh.addUser('octocat', 250);
    gh.addUser('ghost', 0);
    gh.addOrg('acme-org', 40);
    gh.setStargazers(`octocat/${octocat[1].name}`, {
      starredAt: hourly(250),
      collaborators: ['ghp_contract'],
    });
    gh.setStargazers(`octocat/${octocat[2].name}`, {
      starredAt: hourly(401),
      collaborators: ['ghp_contract'],
    });
    gh.setStargazers(`octocat/${octocat[3].name}`, { starredAt: hourly(3), restriction: 'empty' });
  });

  afterAll(async () => {
    await gh.close();
  });

  beforeEach(() => {
    gh.reset();
  });

  describe('GET /users/{username}', () => {
    it.each([
      ['octocat', 'User'],
      ['acme-org', 'Organization'],
    ])('should answer %s as a public-user of type %s', async (login, type) => {
      const { response, problems } = await check(`/users/${login}`);

      expect(problems).toEqual([]);
      expect(response.status).toBe(200);
      expect(json<{ type: string }>(response).type).toBe(type);
    });
  });

  describe('repository lists', () => {
    it.each([
      ['a user, 100 a page', '/users/octocat/repos?per_page=100', 3],
      ['a user, 30 a page by default', '/users/octocat/repos', 9],
      ['a user by pushed date', '/users/octocat/repos?sort=pushed&direction=desc&per_page=100', 3],
      ['an organisation', '/orgs/acme-org/repos?per_page=15', 3],
      ['an organisation listed as a user', '/users/acme-org/repos?per_page=15', 3],
      ['a user without repositories', '/users/ghost/repos', 1],
    ])(
      'should answer every page for %s as minimal-repository items',
      async (_what, path, count) => {
        const { pages } = await checkAllPages(path);

        expect(pages.flatMap((page) => page.problems)).toEqual([]);
        expect(pages.map((page) => page.response.status)).toEqual(Array(count).fill(200));
      },
    );

    it('should have served the repositories a listing trips over', async () => {
      const { repos } = await checkAllPages('/users/octocat/repos?per_page=100');

      const served = repos as GithubRepoJson[];
      expect(served).toHaveLength(250);
      expect(served.some((r) => r.fork)).toBe(true);
      expect(served.some((r) => r.archived)).toBe(true);
      expect(served.some((r) => r.language === null)).toBe(true);
      expect(served.some((r) => r.description === null)).toBe(true);
      expect(served.some((r) => r.license === null)).toBe(true);
      expect(served.some((r) => r.pushed_at === null)).toBe(true);
      expect(served.some((r) => r.topics.length > 0)).toBe(true);
    });
  });

  describe('GET /repos/{owner}/{repo} and its languages', () => {
    it.each<[string, (repo: GithubRepoJson) => boolean]>([
      [
        'with a language, a license and a homepage',
        (r) => !!r.language && !!r.license && !!r.homepage,
      ],
      [
        'without language, description or license',
        (r) => !r.language && !r.description && !r.license,
      ],
      ['with topics', (r) => r.topics.length > 0],
      ['that is a fork', (r) => r.fork],
      ['that is archived', (r) => r.archived],
      ['never pushed to', (r) => r.pushed_at === null],
    ])('should answer a repository %s as full-repository', async (_what, predicate) => {
      const repo = find(predicate);

      const details = await check(`/repos/octocat/${repo.name}`);
      const languages = await check(`/repos/octocat/${repo.name}/languages`);

      expect([...details.problems, ...languages.problems]).toEqual([]);
      expect([details.response.status, languages.response.status]).toEqual([200, 200]);
    });
  });

  describe('GET /repos/{owner}/{repo}/stargazers', () => {
    const stargazers = (index: number, query = ''): string =>
      `/repos/octocat/${octocat[index].name}/stargazers${query}`;

    it.each([
      ['as simple-user items', TOKEN],
      ['with starred_at as stargazer items', { ...TOKEN, ...STAR_JSON }],
    ])(
      'should answer every page %s, following Link to /repositories/{id}/stargazers',
      async (_what, headers) => {
        const { pages, repos } = await checkAllPages(stargazers(1, '?per_page=100'), headers);

        expect(pages.flatMap((page) => page.problems)).toEqual([]);
        expect(pages.map((page) => page.response.status)).toEqual([200, 200, 200]);
        expect(String(pages[0].response.headers.link)).toContain(
          `/repositories/${octocat[1].id}/stargazers?per_page=100&page=2`,
        );
        expect(repos).toHaveLength(250);
      },
    );

    it.each([
      ['another token', { authorization: 'Bearer ghp_stranger' }],
      ['an anonymous caller', {}],
    ])(
      'should refuse %s with a 403 basic-error that is not a rate limit',
      async (_who, headers) => {
        const { response, problems } = await check(stargazers(1), headers);

        expect(problems).toEqual([]);
        expect(response.status).toBe(403);
        expect(Number(response.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
      },
    );

    it('should answer an empty list where GitHub hides a restricted one that way', async () => {
      const { response, problems } = await check(stargazers(3), STAR_JSON);

      expect(problems).toEqual([]);
      expect([response.status, response.text]).toEqual([200, '[]']);
    });

    it('should answer page 400, the last listable one, and a validation-error 422 past it', async () => {
      const last = await check(stargazers(2, '?per_page=1&page=400'), { ...TOKEN, ...STAR_JSON });
      const beyond = await check(stargazers(2, '?per_page=1&page=401'), { ...TOKEN, ...STAR_JSON });

      expect([...last.problems, ...beyond.problems]).toEqual([]);
      expect([last.response.status, beyond.response.status]).toEqual([200, 422]);
    });

    it('should answer a body-less 304 when the ETag matches', async () => {
      const first = await check(stargazers(1), { ...TOKEN, ...STAR_JSON });

      const again = await check(stargazers(1), {
        ...TOKEN,
        ...STAR_JSON,
        'if-none-match': String(first.response.headers.etag),
      });

      expect(again.problems).toEqual([]);
      expect(again.response.status).toBe(304);
    });
  });

  describe('GET /rate_limit', () => {
    it.each([
      ['with a token', TOKEN],
      ['without one', {}],
    ])('should answer a rate-limit-overview %s', async (_who, headers) => {
      const { response, problems } = await check('/rate_limit', headers);

      expect(problems).toEqual([]);
      expect(response.status).toBe(200);
    });
  });

  describe('conditional requests', () => {
    it.each([
      '/users/octocat',
      '/users/octocat/repos?per_page=100',
      '/orgs/acme-org/repos',
      '/repos/octocat/{first}',
      '/repos/octocat/{first}/languages',
    ])('should answer %s with a body-less 304 when the ETag matches', async (template) => {
      const path = template.replace('{first}', octocat[0].name);
      const first = await check(path);

      const again = await check(path, {
        ...TOKEN,
        'if-none-match': String(first.response.headers.etag),
      });

      expect(again.problems).toEqual([]);
      expect(again.response.status).toBe(304);
    });
  });

  describe('errors', () => {
    it.each([
      '/users/nobody',
      '/users/nobody/repos',
      '/orgs/octocat/repos',
      '/user/1/repos',
      '/organizations/1/repos',
      '/repos/octocat/no-such-repo',
      '/repos/octocat/no-such-repo/languages',
    ])('should answer %s, which does not exist, with a 404 basic-error', async (path) => {
      const { response, problems } = await check(path);

      expect(problems).toEqual([]);
      expect(response.status).toBe(404);
    });

    // `invalid-json`, `reset` and `hang` are not answers a description can describe: GitHub's
    // truncated body, its dropped connection and its silence are checked by the suites that use them.
    const modes: [FailureMode, number][] = [
      ['server-error', 500],
      ['bad-gateway-html', 502],
      ['not-found', 404],
      ['bad-credentials', 401],
      ['primary-rate-limit', 403],
      ['secondary-rate-limit', 403],
    ];
    it.each(
      modes.flatMap(([mode, status]) =>
        ['/users/octocat', '/users/octocat/repos', '/repos/octocat/{first}'].map(
          (path) => [mode, status, path] as const,
        ),
      ),
    )('should answer %s as GitHub does (%d) on %s', async (mode, status, template) => {
      const path = template.replace('{first}', octocat[0].name);
      gh.failNext({ mode });

      const { response, problems } = await check(path);

      expect(problems).toEqual([]);
      expect(response.status).toBe(status);
    });

    it('should answer a spent budget with a 403 basic-error', async () => {
      gh.setRateLimit({ limit: 5000, remaining: 0, authorization: 'Bearer ghp_spent' });

      const { response, problems } = await check('/users/octocat/repos', {
        authorization: 'Bearer ghp_spent',
      });

      expect(problems).toEqual([]);
      expect(response.status).toBe(403);
    });

    it("should refuse a request without a User-Agent with GitHub's front-end page", async () => {
      const response = await rawGet(gh.url, '/users/octocat');

      expect(contract.check('GET', '/users/octocat', response)).toEqual([]);
      expect(response.status).toBe(403);
    });
  });

  describe('API versions', () => {
    it.each([
      ['/users/octocat', 1],
      ['/users/octocat/repos?per_page=100', 3],
      ['/orgs/acme-org/repos?per_page=15', 3],
      ['/repos/octocat/{first}', 1],
      ['/repos/octocat/{first}/languages', 1],
      ['/rate_limit', 1],
    ])(
      'should answer %s as the description says 2022-11-28 does, with its deprecation',
      async (template, count) => {
        const path = template.replace('{first}', octocat[0].name);

        const { pages } = await checkAllPages(path, { ...TOKEN, ...V2022 });

        expect(pages.flatMap((page) => page.problems)).toEqual([]);
        expect(pages).toHaveLength(count);
        for (const { response } of pages) {
          expect(response.status).toBe(200);
          expect(response.headers['x-github-api-version-selected']).toBe('2022-11-28');
          expect(response.headers.deprecation).toBe('@1773273600');
        }
      },
    );

    it('should answer every page under 2026-03-10 without a deprecation', async () => {
      const { pages } = await checkAllPages('/users/octocat/repos?per_page=100');

      expect(pages.flatMap((page) => page.problems)).toEqual([]);
      for (const { response } of pages) {
        expect(response.headers['x-github-api-version-selected']).toBe('2026-03-10');
        expect(response.headers.deprecation).toBeUndefined();
      }
    });

    it('should refuse a version GitHub does not serve with a 400 basic-error', async () => {
      const { response, problems } = await check('/users/octocat/repos', {
        ...TOKEN,
        'x-github-api-version': '2099-01-01',
      });

      expect(problems).toEqual([]);
      expect(response.status).toBe(400);
    });
  });

  describe('the check itself', () => {
    const SELECTED_2026 = { 'x-github-api-version-selected': '2026-03-10' };

    it('should name the route and the field when an answer drifts from the description', async () => {
      gh.addUser('drifted', [
        { ...octocat[0], stargazers_count: '3' as unknown as number, full_name: 'drifted/x' },
      ]);

      const { problems } = await check('/users/drifted/repos');

      expect(problems).toEqual([
        'GET /users/drifted/repos -> 200 (repos/list-for-user, /users/{username}/repos, 2026-03-10): body/0/stargazers_count must be integer',
      ]);
    });

    it('should fail a status the operation does not document', () => {
      const response = {
        status: 422,
        headers: { 'content-type': 'application/json', ...SELECTED_2026 },
        text: '{}',
      };

      expect(contract.check('GET', '/users/octocat/repos', response)).toEqual([
        'GET /users/octocat/repos -> 422 (repos/list-for-user, /users/{username}/repos, 2026-03-10): status 422 is not documented for this operation',
      ]);
    });

    /** A real answer of the fake, told to the check as served in another version (or none). */
    const relabelled = async (
      path: string,
      servedIn: Record<string, string>,
      selected: string | undefined,
    ) => {
      const { response } = await check(path, { ...TOKEN, ...servedIn });
      const headers = { ...response.headers, 'x-github-api-version-selected': selected };
      return contract.check('GET', path, { ...response, headers });
    };

    it('should forbid under 2026-03-10 the repository fields it removed', async () => {
      const path = `/repos/octocat/${octocat[0].name}`;

      const problems = await relabelled(path, V2022, '2026-03-10');

      expect(problems).toEqual([
        `GET ${path} -> 200 (repos/get, /repos/{owner}/{repo}, 2026-03-10): body/has_downloads boolean schema is false`,
      ]);
      expect(await relabelled(path, V2022, '2022-11-28')).toEqual([]);
    });

    it('should forbid the top-level rate of /rate_limit under 2026-03-10, and require it under 2022-11-28', async () => {
      expect(await relabelled('/rate_limit', V2022, '2026-03-10')).toEqual([
        'GET /rate_limit -> 200 (rate-limit/get, /rate_limit, 2026-03-10): body/rate boolean schema is false',
      ]);
      expect(await relabelled('/rate_limit', V2026, '2022-11-28')).toEqual([
        "GET /rate_limit -> 200 (rate-limit/get, /rate_limit, 2022-11-28): body must have required property 'rate'",
      ]);
    });

    it('should want every API answer to name the version it was served in, one the description knows', async () => {
      const path = '/users/octocat';

      expect(await relabelled(path, V2026, undefined)).toEqual([
        `GET ${path} -> 200 (users/get-by-username, /users/{username}, 2022-11-28): header x-github-api-version-selected is missing`,
      ]);
      expect(await relabelled(path, V2026, '2025-01-01')).toEqual([
        `GET ${path} -> 200 (users/get-by-username, /users/{username}, 2022-11-28): header x-github-api-version-selected (2025-01-01) names no version of the description (2022-11-28, 2026-03-10)`,
      ]);
    });
  });
});
