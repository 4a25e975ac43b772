import { FakeGithub, GithubRepoJson } from './';
import { RawResponse, rawGet } from '../support/raw-get';

/** What every client of GitHub must send; the fake refuses requests without a User-Agent. */
const UA = { 'user-agent': 'fake-github-e2e' };

/** The fake is what every e2e test, the benchmark and the smoke test believe GitHub to be: it must behave like it. */
describe(FakeGithub.name, () => {
  let gh: FakeGithub;
  let octocat: GithubRepoJson[];
  let id: number;

  const get = (path: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
    rawGet(gh.url, path, { ...UA, ...headers });
  const json = <T>(response: RawResponse): T => JSON.parse(response.text) as T;

  beforeAll(async () => {
    gh = await FakeGithub.start();
    octocat = gh.addUser('octocat', 250);
    gh.addUser('ghost', 0);
    gh.addUser('small', 5);
    gh.addOrg('acme-org', 3);
    id = octocat[0].owner.id;
  });

  afterAll(async () => {
    await gh.close();
  });

  beforeEach(() => {
    gh.reset();
    gh.setRateLimit({ limit: 10_000 });
  });

  describe('start', () => {
    it('should listen on 127.0.0.1 with a random port by default', () => {
      expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });
  });

  describe('accounts', () => {
    it('should generate the same repositories for the same login', async () => {
      const other = await FakeGithub.start();
      try {
        expect(other.addUser('octocat', 250)).toEqual(octocat);
      } finally {
        await other.close();
      }
    });

    it('should generate data a listing can trip over: ties, nulls, forks, mixed case', () => {
      const stars = octocat.map((r) => r.stargazers_count);
      expect(new Set(stars).size).toBeLessThan(stars.length);
      expect(octocat.some((r) => r.language === null)).toBe(true);
      expect(octocat.some((r) => r.pushed_at === null)).toBe(true);
      expect(octocat.some((r) => r.description === null)).toBe(true);
      expect(octocat.some((r) => r.fork)).toBe(true);
      expect(octocat.some((r) => r.archived)).toBe(true);
      expect(octocat.some((r) => /^[A-Z]/.test(r.name))).toBe(true);
      expect(new Set(octocat.map((r) => r.name.toLowerCase())).size).toBe(250);
    });

    it('should serve exactly the repositories it was given', async () => {
      const given = gh.addUser('handmade', [
        { ...octocat[0], name: 'only-one', full_name: 'handmade/only-one' },
      ]);

      const response = await get('/users/handmade/repos');

      expect(json<GithubRepoJson[]>(response)).toMatchObject(given);
    });
  });

  describe("GitHub's full repository JSON", () => {
    it('should add the ~45 *_url fields GitHub sends, derived from the full name and owner', async () => {
      const response = await get('/users/octocat/repos?per_page=1');

      const [served] = json<Record<string, unknown>[]>(response);
      const stored = octocat.find((r) => r.full_name === served.full_name)!;
      const urls = Object.keys(served).filter((key) => key.endsWith('_url'));
      expect(urls.length).toBeGreaterThanOrEqual(40);
      expect(served).toMatchObject({
        ...stored,
        owner: {
          ...stored.owner,
          repos_url: `https://api.github.com/users/octocat/repos`,
        },
        forks_url: `https://api.github.com/repos/${stored.full_name}/forks`,
        clone_url: `https://github.com/${stored.full_name}.git`,
        ssh_url: `git@github.com:${stored.full_name}.git`,
        has_wiki: true,
        mirror_url: null,
      });
    });

    it('should serve about 5 kB of JSON per repository, as GitHub does', async () => {
      const response = await get('/users/octocat/repos?per_page=100');

      const perRepo = Buffer.byteLength(response.text) / json<unknown[]>(response).length;
      expect(perRepo).toBeGreaterThan(4_000);
      expect(perRepo).toBeLessThan(6_500);
    });

    it('should leave out a field a hand-made repository leaves out', async () => {
      const withoutTopics: Partial<GithubRepoJson> = { ...octocat[0], full_name: 'no-topics/x' };
      delete withoutTopics.topics;
      gh.addUser('no-topics', [withoutTopics as GithubRepoJson]);

      const [served] = json<Record<string, unknown>[]>(await get('/users/no-topics/repos'));

      expect(served).not.toHaveProperty('topics');
      expect(served.forks_url).toBe('https://api.github.com/repos/no-topics/x/forks');
    });
  });

  describe('GET /users/:login', () => {
    it('should answer the profile, whatever the case of the login', async () => {
      const response = await get('/users/OctoCat');

      expect(response.status).toBe(200);
      expect(json(response)).toMatchObject({
        login: 'octocat',
        id,
        type: 'User',
        public_repos: 250,
      });
    });

    it("should answer GitHub's 404 for an unknown login", async () => {
      const response = await get('/users/nobody');

      expect(response.status).toBe(404);
      expect(json(response)).toEqual({
        message: 'Not Found',
        documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com/),
        status: '404',
      });
    });

    it('should say Organization for an organisation', async () => {
      const response = await get('/users/acme-org');

      expect(json(response)).toMatchObject({ type: 'Organization' });
    });
  });

  describe('GET /users/:login/repos', () => {
    it('should answer 30 per page by default, sorted by full name', async () => {
      const response = await get('/users/octocat/repos');

      const page = json<GithubRepoJson[]>(response);
      expect(page).toHaveLength(30);
      const names = page.map((r) => r.full_name.toLowerCase());
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    });

    it('should never answer more than 100 per page', async () => {
      const response = await get('/users/octocat/repos?per_page=500');

      expect(json<unknown[]>(response)).toHaveLength(100);
    });

    it('should list by pushed_at, most recent first and never-pushed last, for sort=pushed&direction=desc', async () => {
      const pages = await Promise.all(
        [1, 2, 3].map((n) =>
          get(`/user/${id}/repos?per_page=100&sort=pushed&direction=desc&page=${n}`),
        ),
      );

      const pushed = pages.flatMap((p) => json<GithubRepoJson[]>(p).map((r) => r.pushed_at));
      const dated = pushed.filter((value): value is string => value !== null);
      expect(pushed).toHaveLength(250);
      expect(pushed.slice(dated.length).every((value) => value === null)).toBe(true);
      expect(dated).toEqual([...dated].sort().reverse());
    });

    it('should list the new repositories of an account that was replaced, not its old order', async () => {
      gh.addUser('reordered', 3);
      await get('/users/reordered/repos?sort=pushed');
      const replaced = gh.addUser('reordered', [
        { ...octocat[0], name: 'b', full_name: 'reordered/b', pushed_at: '2020-01-01T00:00:00Z' },
        { ...octocat[0], name: 'a', full_name: 'reordered/a', pushed_at: '2021-01-01T00:00:00Z' },
      ]);

      const response = await get('/users/reordered/repos?sort=pushed');

      expect(json<GithubRepoJson[]>(response).map((r) => r.name)).toEqual(['a', 'b']);
      expect(replaced).toHaveLength(2);
    });

    it('should link next and last as absolute /user/{id}/repos URLs on the first page', async () => {
      const response = await get('/users/octocat/repos?per_page=100&type=owner');

      expect(response.headers.link).toBe(
        `<${gh.url}/user/${id}/repos?per_page=100&type=owner&page=2>; rel="next", <${gh.url}/user/${id}/repos?per_page=100&type=owner&page=3>; rel="last"`,
      );
    });

    it('should link prev and first on the last page, which holds the rest', async () => {
      const response = await get(`/user/${id}/repos?per_page=100&page=3`);

      expect(json<unknown[]>(response)).toHaveLength(50);
      expect(response.headers.link).toBe(
        `<${gh.url}/user/${id}/repos?per_page=100&page=2>; rel="prev", <${gh.url}/user/${id}/repos?per_page=100&page=1>; rel="first"`,
      );
    });

    it('should serve every repository exactly once across the pages', async () => {
      const pages = await Promise.all(
        [1, 2, 3].map((n) => get(`/user/${id}/repos?per_page=100&page=${n}`)),
      );

      const names = pages.flatMap((p) => json<GithubRepoJson[]>(p).map((r) => r.full_name));
      expect(names.sort()).toEqual(octocat.map((r) => r.full_name).sort());
    });

    it.each(['/users/small/repos?per_page=100', '/users/ghost/repos'])(
      'should send no Link header when one page holds everything (%s)',
      async (path) => {
        const response = await get(path);

        expect(response.status).toBe(200);
        expect(response.headers.link).toBeUndefined();
      },
    );

    it("should answer GitHub's 404 for an unknown login", async () => {
      const response = await get('/users/nobody/repos');

      expect(response.status).toBe(404);
    });
  });

  describe('GET /orgs/:org/repos and /repos/:owner/:repo', () => {
    it('should page an organisation listed as a user through /user/{id}/repos, in one order', async () => {
      const org = gh.addOrg('paged-org', 250);
      const orgId = org[0].owner.id;

      const first = await get('/users/paged-org/repos?per_page=100');
      const rest = await Promise.all(
        [2, 3].map((n) => get(`/user/${orgId}/repos?per_page=100&page=${n}`)),
      );

      expect(first.headers.link).toContain(`${gh.url}/user/${orgId}/repos?per_page=100&page=2`);
      const names = [first, ...rest].flatMap((p) =>
        json<GithubRepoJson[]>(p).map((r) => r.full_name.toLowerCase()),
      );
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      expect(new Set(names).size).toBe(250);
    });

    it("should list an organisation's repositories, and 404 for a user", async () => {
      const org = await get('/orgs/acme-org/repos');
      const user = await get('/orgs/octocat/repos');

      expect(json<unknown[]>(org)).toHaveLength(3);
      expect(user.status).toBe(404);
    });

    it('should answer one repository and its languages', async () => {
      const repo = octocat.find((r) => r.language === 'Go')!;

      const single = await get(`/repos/octocat/${repo.name}`);
      const languages = await get(`/repos/octocat/${repo.name}/languages`);

      expect(json(single)).toMatchObject(repo);
      expect(json(languages)).toEqual({ Go: repo.size * 100 + 1, Shell: repo.size + 1 });
    });
  });

  describe('GET /repos/:owner/:repo/stargazers', () => {
    const OWNER = { authorization: 'Bearer ghp_owner' };
    const STAR_JSON = { accept: 'application/vnd.github.star+json' };
    /** `count` date-times a day apart from 2024-01-01, oldest first, as GitHub writes them. */
    const daily = (count: number): string[] =>
      Array.from({ length: count }, (_, i) =>
        new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().replace('.000Z', 'Z'),
      );
    let starred: GithubRepoJson;
    let starredAt: string[];
    let path: string;

    beforeAll(() => {
      starred = octocat[10];
      starredAt = daily(250);
      path = `/repos/octocat/${starred.name}/stargazers`;
      gh.setStargazers(`OctoCat/${starred.name.toUpperCase()}`, {
        starredAt,
        collaborators: ['ghp_owner', 'ghp_maintainer'],
      });
    });

    it('should set the repository stargazers_count to the number of stargazers', async () => {
      const repo = json<GithubRepoJson>(await get(`/repos/octocat/${starred.name}`));

      expect([repo.stargazers_count, repo.watchers_count]).toEqual([250, 250]);
    });

    it('should list them oldest first with starred_at under application/vnd.github.star+json', async () => {
      const response = await get(`${path}?per_page=3&page=2`, { ...OWNER, ...STAR_JSON });

      expect(response.status).toBe(200);
      expect(response.headers['x-github-media-type']).toBe('github.v3; param=star; format=json');
      const items = json<{ starred_at: string; user: { login: string; type: string } }[]>(response);
      expect(items.map((item) => item.starred_at)).toEqual(starredAt.slice(3, 6));
      expect(items.map((item) => item.user.login)).toEqual([
        'stargazer-4',
        'stargazer-5',
        'stargazer-6',
      ]);
    });

    it('should list simple users, without starred_at, under the default media type', async () => {
      const response = await get(`${path}?per_page=2`, {
        authorization: 'token ghp_maintainer',
      });

      const items = json<Record<string, unknown>[]>(response);
      expect(items.map((user) => user.login)).toEqual(['stargazer-1', 'stargazer-2']);
      expect(items[0]).not.toHaveProperty('starred_at');
      expect(items[0]).toMatchObject({ type: 'User', site_admin: false });
    });

    it('should page through /repositories/{id}/stargazers, as GitHub links do, serving each once', async () => {
      const first = await get(`${path}?per_page=100`, { ...OWNER, ...STAR_JSON });
      const base = `${gh.url}/repositories/${starred.id}/stargazers`;
      expect(first.headers.link).toBe(
        `<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`,
      );

      const last = await get(`/repositories/${starred.id}/stargazers?per_page=100&page=3`, {
        ...OWNER,
        ...STAR_JSON,
      });
      const middle = await get(`/repositories/${starred.id}/stargazers?per_page=100&page=2`, {
        ...OWNER,
        ...STAR_JSON,
      });

      expect(last.headers.link).toBe(
        `<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`,
      );
      const dates = [first, middle, last].flatMap((page) =>
        json<{ starred_at: string }[]>(page).map((item) => item.starred_at),
      );
      expect(dates).toEqual(starredAt);
    });

    it('should never answer more than 100 a page', async () => {
      const response = await get(`${path}?per_page=250`, OWNER);

      expect(json<unknown[]>(response)).toHaveLength(100);
    });

    it('should list 400 pages at most: last names page 400 and page 401 answers 422', async () => {
      const big = octocat[11];
      gh.setStargazers(`octocat/${big.name}`, {
        starredAt: daily(450),
        collaborators: ['ghp_owner'],
      });
      const base = `${gh.url}/repositories/${big.id}/stargazers`;

      const first = await get(`/repos/octocat/${big.name}/stargazers?per_page=1`, OWNER);
      const page400 = await get(`/repositories/${big.id}/stargazers?per_page=1&page=400`, OWNER);
      const page401 = await get(`/repositories/${big.id}/stargazers?per_page=1&page=401`, OWNER);

      expect(first.headers.link).toContain(`<${base}?per_page=1&page=400>; rel="last"`);
      expect(page400.status).toBe(200);
      expect(page400.headers.link).not.toContain('rel="next"');
      expect(page401.status).toBe(422);
      expect(json(page401)).toEqual({
        message:
          'In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can traverse.',
        documentation_url: 'https://docs.github.com/v3/#pagination',
        status: '422',
      });
    });

    it.each([
      ['another token', { authorization: 'Bearer ghp_stranger' }],
      ['an anonymous caller', {}],
    ])(
      'should refuse %s with a permission 403 that spends a request but is no rate limit',
      async (_who, headers) => {
        const response = await get(path, { ...headers, ...STAR_JSON });

        expect(response.status).toBe(403);
        expect(json<{ message: string }>(response).message).toBe(
          'Must have push access to view repository stargazers.',
        );
        expect(response.headers['retry-after']).toBeUndefined();
        expect(Number(response.headers['x-ratelimit-used'])).toBe(1);
        expect(Number(response.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
      },
    );

    it('should refuse the list of a repository never given stargazers, and 404 an unknown one', async () => {
      const unlisted = await get(`/repos/octocat/${octocat[12].name}/stargazers`, OWNER);
      const unknown = await get('/repos/octocat/no-such-repo/stargazers', OWNER);
      const unknownId = await get('/repositories/1/stargazers', OWNER);

      expect([unlisted.status, unknown.status, unknownId.status]).toEqual([403, 404, 404]);
    });

    it("should answer others an empty list with restriction 'empty', and collaborators the list", async () => {
      const hidden = octocat[13];
      gh.setStargazers(`octocat/${hidden.name}`, {
        starredAt: daily(5),
        collaborators: ['ghp_owner'],
        restriction: 'empty',
      });

      const stranger = await get(`/repos/octocat/${hidden.name}/stargazers`, STAR_JSON);
      const owner = await get(`/repos/octocat/${hidden.name}/stargazers`, {
        ...OWNER,
        ...STAR_JSON,
      });

      expect([stranger.status, stranger.text]).toEqual([200, '[]']);
      expect(json<unknown[]>(owner)).toHaveLength(5);
    });

    it('should answer a matching If-None-Match with a free 304, per media type', async () => {
      const first = await get(path, { ...OWNER, ...STAR_JSON });

      const again = await get(path, {
        ...OWNER,
        ...STAR_JSON,
        'if-none-match': first.headers.etag as string,
      });
      const otherType = await get(path, {
        ...OWNER,
        'if-none-match': first.headers.etag as string,
      });

      expect([again.status, again.text]).toEqual([304, '']);
      expect(again.headers['x-ratelimit-remaining']).toBe(first.headers['x-ratelimit-remaining']);
      expect(otherType.status).toBe(200);
    });

    it('should refuse stargazers for a repository it does not hold, or in the wrong order', () => {
      expect(() => gh.setStargazers('octocat/no-such-repo', { starredAt: [] })).toThrow(
        'FakeGithub has no repository octocat/no-such-repo: add its account first',
      );
      expect(() =>
        gh.setStargazers(`octocat/${octocat[14].name}`, {
          starredAt: ['2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z'],
        }),
      ).toThrow(/oldest first/);
    });
  });

  describe('headers and conditional requests', () => {
    it('should send rate-limit headers, a strong ETag and Last-Modified', async () => {
      const response = await get('/users/octocat/repos');

      expect(response.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '10000',
        'x-ratelimit-remaining': '9999',
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
        etag: expect.stringMatching(/^"[0-9a-f]+"$/),
      });
      expect(Number(response.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
      expect(Date.parse(response.headers['last-modified'] as string)).not.toBeNaN();
    });

    it('should answer 304 without a body for a matching If-None-Match, free with a token', async () => {
      const auth = { authorization: 'Bearer ghp_conditional' };
      const first = await get('/users/octocat/repos', auth);

      const second = await get('/users/octocat/repos', {
        ...auth,
        'if-none-match': first.headers.etag as string,
      });

      expect(second.status).toBe(304);
      expect(second.text).toBe('');
      expect(second.headers['x-ratelimit-remaining']).toBe(first.headers['x-ratelimit-remaining']);
      expect(second.headers.etag).toBe(first.headers.etag);
    });

    it('should charge an anonymous 304 as GitHub does', async () => {
      const first = await get('/users/octocat/repos');

      const second = await get('/users/octocat/repos', {
        'if-none-match': first.headers.etag as string,
      });

      expect(second.status).toBe(304);
      expect(Number(second.headers['x-ratelimit-remaining'])).toBe(
        Number(first.headers['x-ratelimit-remaining']) - 1,
      );
    });

    it('should give another token another ETag, so its copy revalidates to a 200', async () => {
      const mine = await get('/users/octocat/repos', { authorization: 'Bearer ghp_one' });

      const theirs = await get('/users/octocat/repos', {
        authorization: 'Bearer ghp_two',
        'if-none-match': mine.headers.etag as string,
      });

      expect(theirs.status).toBe(200);
      expect(theirs.headers.etag).not.toBe(mine.headers.etag);
    });

    it('should refuse a request without a User-Agent, as GitHub does', async () => {
      const response = await rawGet(gh.url, '/users/octocat');

      expect(response.status).toBe(403);
      expect(response.text).toMatch(/User-Agent/);
    });
  });

  describe('API versions (X-GitHub-Api-Version)', () => {
    const V2022 = { 'x-github-api-version': '2022-11-28' };
    const V2026 = { 'x-github-api-version': '2026-03-10' };
    const REMOVED_IN_2026 = ['has_downloads', 'master_branch', 'use_squash_pr_title_as_default'];
    const versionHeaders = (response: RawResponse) => ({
      selected: response.headers['x-github-api-version-selected'],
      deprecation: response.headers.deprecation,
      sunset: response.headers.sunset,
    });
    const DEPRECATED_2022 = {
      selected: '2022-11-28',
      deprecation: '@1773273600',
      sunset: 'Fri, 10 Mar 2028 00:00:00 GMT',
    };
    const CURRENT_2026 = { selected: '2026-03-10', deprecation: undefined, sunset: undefined };

    it.each([
      ['no version, as GitHub does, 2022-11-28 with its deprecation', {}, DEPRECATED_2022],
      ['2022-11-28 with its deprecation', V2022, DEPRECATED_2022],
      ['2026-03-10 without any', V2026, CURRENT_2026],
    ])('should serve a request naming %s', async (_what, headers, expected) => {
      const response = await get('/users/octocat', headers);

      expect(response.status).toBe(200);
      expect(versionHeaders(response)).toEqual(expected);
    });

    it('should name the version served on 404s, 304s and planned failures too', async () => {
      const notFound = await get('/users/nobody', V2026);
      const first = await get('/users/octocat/repos', V2026);
      const notModified = await get('/users/octocat/repos', {
        ...V2026,
        'if-none-match': String(first.headers.etag),
      });
      gh.failNext({ mode: 'server-error' });
      const failed = await get('/users/octocat/repos');

      expect([notFound.status, notModified.status, failed.status]).toEqual([404, 304, 500]);
      expect(versionHeaders(notFound)).toEqual(CURRENT_2026);
      expect(versionHeaders(notModified)).toEqual(CURRENT_2026);
      expect(versionHeaders(failed)).toEqual(DEPRECATED_2022);
    });

    it.each(['2099-01-01', '2024-01-01', 'v3', ''])(
      'should refuse version "%s" with a 400 naming the versions served, spending nothing',
      async (version) => {
        gh.failNext({ mode: 'server-error' });
        const before = gh.rateLimitOf().remaining;

        const response = await get('/users/octocat', { 'x-github-api-version': version });

        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(json(response)).toEqual({
          message: `The version you specified in the "X-GitHub-Api-Version" request header, "${version}", is not a supported version. The following versions are currently supported: "2026-03-10" (most recent), "2022-11-28".`,
          documentation_url: 'https://docs.github.com/rest/about-the-rest-api/api-versions',
          status: '400',
        });
        expect(versionHeaders(response)).toEqual({
          selected: undefined,
          deprecation: undefined,
          sunset: undefined,
        });
        expect(gh.rateLimitOf().remaining).toBe(before);
        // The planned failure is still there for the next request GitHub would serve.
        expect((await get('/users/octocat')).status).toBe(500);
      },
    );

    it('should leave the fields 2026-03-10 removed out of repositories, lists and single ones', async () => {
      const [stored] = gh.addUser('versioned', [
        {
          ...octocat[0],
          full_name: 'versioned/x',
          master_branch: 'main',
          use_squash_pr_title_as_default: false,
        } as GithubRepoJson,
      ]);
      const served = async (path: string, headers: Record<string, string>) => {
        const body = json<Record<string, unknown> | Record<string, unknown>[]>(
          await get(path, headers),
        );
        return Array.isArray(body) ? body[0] : body;
      };

      for (const path of ['/users/versioned/repos', `/repos/versioned/${stored.name}`]) {
        const old = await served(path, V2022);
        const current = await served(path, V2026);

        expect(old).toMatchObject({
          has_downloads: true,
          master_branch: 'main',
          use_squash_pr_title_as_default: false,
        });
        for (const field of REMOVED_IN_2026) {
          expect(current).not.toHaveProperty(field);
        }
        const rest = Object.fromEntries(
          Object.entries(old).filter(([key]) => !REMOVED_IN_2026.includes(key)),
        );
        expect(current).toEqual(rest);
      }
    });

    it('should answer GET /rate_limit without the top-level rate under 2026-03-10 only', async () => {
      const old = json<Record<string, unknown>>(await get('/rate_limit', V2022));
      const current = json<Record<string, unknown>>(await get('/rate_limit', V2026));

      expect(Object.keys(old).sort()).toEqual(['rate', 'resources']);
      expect(Object.keys(current)).toEqual(['resources']);
      expect(current.resources).toEqual(old.resources);
    });
  });

  describe('rate-limit budgets', () => {
    it('should count each Authorization apart, 60 anonymous and 5,000 with a token by default', async () => {
      const fresh = await FakeGithub.start();
      fresh.addUser('octocat', 1);
      try {
        const anonymous = await rawGet(fresh.url, '/users/octocat', UA);
        const token = await rawGet(fresh.url, '/users/octocat', {
          ...UA,
          authorization: 'Bearer ghp_x',
        });

        expect([
          anonymous.headers['x-ratelimit-limit'],
          anonymous.headers['x-ratelimit-remaining'],
        ]).toEqual(['60', '59']);
        expect([
          token.headers['x-ratelimit-limit'],
          token.headers['x-ratelimit-remaining'],
        ]).toEqual(['5000', '4999']);
        expect(fresh.rateLimitOf('Bearer ghp_x').remaining).toBe(4999);
      } finally {
        await fresh.close();
      }
    });

    it('should answer the 403 primary rate limit once a budget is spent', async () => {
      const reset = Math.floor(Date.now() / 1000) + 900;
      gh.setRateLimit({
        limit: 5000,
        remaining: 1,
        resetEpochSeconds: reset,
        authorization: 'Bearer ghp_spent',
      });
      const auth = { authorization: 'Bearer ghp_spent' };

      const last = await get('/users/octocat', auth);
      const refused = await get('/users/octocat', auth);

      expect(last.status).toBe(200);
      expect(refused.status).toBe(403);
      expect(refused.headers).toMatchObject({
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      });
      expect(json<{ message: string }>(refused).message).toMatch(/^API rate limit exceeded/);
    });

    it('should answer GET /rate_limit without spending', async () => {
      const before = gh.rateLimitOf().remaining;

      const response = await get('/rate_limit');

      expect(json(response)).toMatchObject({
        resources: { core: { limit: 10_000, remaining: before } },
        rate: { remaining: before },
      });
      expect(gh.rateLimitOf().remaining).toBe(before);
    });
  });

  describe('failNext', () => {
    it.each([
      ['server-error', 500, /^application\/json/, /"Server Error"/],
      ['bad-gateway-html', 502, /^text\/html/, /Unicorn/],
      ['invalid-json', 200, /^application\/json/, /^\[\{"id": 1, "name": "trunc$/],
      ['not-found', 404, /^application\/json/, /"Not Found"/],
      ['bad-credentials', 401, /^application\/json/, /"Bad credentials"/],
      [
        'secondary-rate-limit',
        403,
        /^application\/json/,
        /You have exceeded a secondary rate limit/,
      ],
      ['primary-rate-limit', 403, /^application\/json/, /API rate limit exceeded/],
    ] as const)('should fail with %s as GitHub does', async (mode, status, contentType, body) => {
      gh.failNext({ mode });

      const response = await get('/users/octocat/repos');

      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(contentType);
      expect(response.text).toMatch(body);
    });

    it('should send retry-after with a secondary limit and remaining 0 with a primary one', async () => {
      gh.failNext({ mode: 'secondary-rate-limit', retryAfterSeconds: 42 });
      gh.failNext({ mode: 'primary-rate-limit', resetEpochSeconds: 2_000_000_000 });

      const secondary = await get('/users/octocat');
      const primary = await get('/users/octocat');

      expect(secondary.headers['retry-after']).toBe('42');
      expect(primary.headers).toMatchObject({
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '2000000000',
      });
      expect(primary.headers['retry-after']).toBeUndefined();
    });

    it('should reset the connection', async () => {
      gh.failNext({ mode: 'reset' });

      await expect(get('/users/octocat')).rejects.toMatchObject({ code: 'ECONNRESET' });
    });

    it('should fail only matching paths, only as many times as asked', async () => {
      gh.failNext({ pathPrefix: '/users/small', mode: 'server-error', times: 2 });

      const statuses = [];
      for (const path of ['/users/octocat', '/users/small', '/users/small/repos', '/users/small']) {
        statuses.push((await get(path)).status);
      }

      expect(statuses).toEqual([200, 500, 500, 200]);
    });

    it('should forget its plans on reset()', async () => {
      gh.failNext({ mode: 'server-error', times: Infinity });

      gh.reset();

      expect((await get('/users/octocat')).status).toBe(200);
    });
  });

  describe('requests', () => {
    it('should record method, path with query, headers and the status answered', async () => {
      await get('/users/octocat/repos?per_page=2', { authorization: 'Bearer ghp_seen' });
      await get('/users/nobody');

      expect(gh.requests).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: '/users/octocat/repos?per_page=2',
          headers: expect.objectContaining({ authorization: 'Bearer ghp_seen' }),
          status: 200,
        }),
        expect.objectContaining({ path: '/users/nobody', status: 404 }),
      ]);
      expect(gh.countRequests('/users/octocat')).toBe(1);
      expect(gh.countRequests()).toBe(2);
    });
  });

  describe('latency and close', () => {
    it('should delay every answer by latencyMs', async () => {
      const slow = await FakeGithub.start({ latencyMs: 150 });
      slow.addUser('octocat', 1);
      try {
        const startedAt = performance.now();
        await rawGet(slow.url, '/users/octocat', UA);
        expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
      } finally {
        await slow.close();
      }
    });

    it('should close at once even with a request hanging', async () => {
      const fake = await FakeGithub.start();
      fake.addUser('octocat', 1);
      fake.failNext({ mode: 'hang' });
      const hanging = rawGet(fake.url, '/users/octocat', UA);
      const outcome = hanging.then(
        () => 'answered',
        () => 'dropped',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));

      const startedAt = performance.now();
      await fake.close();

      // Without destroying the socket, close() would wait for the hanging request forever.
      expect(performance.now() - startedAt).toBeLessThan(2000);
      expect(await outcome).toBe('dropped');
    });
  });
});
