import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { GithubRepoJson } from '../../fake-github';
import { collectAllPages, RepoListBody } from '../../support/collect-pages';
import { expectedListing, ExpectedListing, toApiRepo } from '../../support/expected-repos';
import { Harness, startHarness } from '../../support/harness';
import { parseOurLinks } from '../../support/our-links';

const REPO_KEYS = [
  'archived',
  'createdAt',
  'description',
  'fork',
  'forks',
  'fullName',
  'language',
  'name',
  'openIssues',
  'pushedAt',
  'stars',
  'topics',
  'updatedAt',
  'url',
];

describe(ReposController.name, () => {
  let h: Harness;
  let octocat: GithubRepoJson[];
  let big: GithubRepoJson[];

  beforeAll(async () => {
    h = await startHarness();
    octocat = h.gh.addUser('octocat', 250);
    big = h.gh.addUser('big-account', 1234);
    h.gh.addUser('page-counter', 1234);
    h.gh.addUser('ghost', 0);
  });

  afterAll(async () => {
    await h.close();
  });

  describe('GET /github/repos/:username', () => {
    it('should return every repository of a three-page account, most starred first by default', async () => {
      const all = await collectAllPages(h.server, '/github/repos/octocat');

      expect(all.total).toBe(250);
      expect(all.repos).toEqual(expectedListing(octocat));
    });

    it('should fetch all 13 upstream pages, 100 each, for an account with 1,234 repositories', async () => {
      h.gh.reset();

      const response = await request(h.server).get('/github/repos/page-counter');

      expect(response.status).toBe(200);
      expect((response.body as RepoListBody).total).toBe(1234);
      const ownerId = h.gh.reposOf('page-counter')[0].owner.id;
      expect(h.gh.countRequests('/users/page-counter/repos?')).toBe(1);
      expect(h.gh.countRequests(`/user/${ownerId}/repos?`)).toBe(12);
      expect(
        h.gh.requests.every(
          (r) => new URL(r.path, 'http://x').searchParams.get('per_page') === '100',
        ),
      ).toBe(true);
    });

    const orders: ExpectedListing[] = [
      { sort: 'stars' },
      { sort: 'stars', direction: 'asc' },
      { sort: 'forks' },
      { sort: 'forks', direction: 'asc' },
      { sort: 'name' },
      { sort: 'name', direction: 'desc' },
      { sort: 'updated' },
      { sort: 'updated', direction: 'asc' },
      { sort: 'pushed' },
      { sort: 'pushed', direction: 'asc' },
      { sort: 'created' },
      { sort: 'created', direction: 'asc' },
    ];

    it.each(orders)('should list all 1,234 repositories in order for %o', async (order) => {
      const query = Object.fromEntries(Object.entries(order).map(([k, v]) => [k, String(v)]));

      const all = await collectAllPages(h.server, '/github/repos/big-account', query);

      // Names only: the mapping of every field is checked elsewhere, and a name diff reads well.
      expect(all.total).toBe(1234);
      expect(all.repos.map((r) => r.fullName)).toEqual(
        expectedListing(big, order).map((r) => r.fullName),
      );
    });

    it.each(['TypeScript', 'typescript', 'TYPESCRIPT'])(
      'should filter by language case-insensitively (%s)',
      async (language) => {
        const all = await collectAllPages(h.server, '/github/repos/big-account', { language });

        const expected = expectedListing(big, { language: 'TypeScript' });
        expect(expected.length).toBeGreaterThan(0);
        expect(all.total).toBe(expected.length);
        expect(all.repos).toEqual(expected);
      },
    );

    it('should keep a language with URL-special characters intact (C++)', async () => {
      const all = await collectAllPages(h.server, '/github/repos/big-account', { language: 'c++' });

      const expected = expectedListing(big, { language: 'C++' });
      expect(expected.length).toBeGreaterThan(0);
      expect(all.repos).toEqual(expected);
    });

    it('should list only repositories without a language for language=none', async () => {
      const all = await collectAllPages(h.server, '/github/repos/big-account', {
        language: 'none',
      });

      expect(all.total).toBe(big.filter((r) => r.language === null).length);
      expect(all.total).toBeGreaterThan(0);
      expect(all.repos).toEqual(expectedListing(big, { language: 'none' }));
    });

    it('should leave forks out for includeForks=false', async () => {
      const all = await collectAllPages(h.server, '/github/repos/big-account', {
        includeForks: 'false',
      });

      expect(all.total).toBe(big.filter((r) => !r.fork).length);
      expect(all.repos.some((r) => r.fork)).toBe(false);
      expect(all.repos.map((r) => r.fullName)).toEqual(
        expectedListing(big, { includeForks: false }).map((r) => r.fullName),
      );
    });

    it('should combine filters with a sort', async () => {
      const options: ExpectedListing = {
        sort: 'forks',
        direction: 'asc',
        language: 'go',
        includeForks: false,
      };

      const all = await collectAllPages(h.server, '/github/repos/big-account', {
        sort: 'forks',
        direction: 'asc',
        language: 'go',
        includeForks: 'false',
      });

      expect(all.repos).toEqual(expectedListing(big, options));
    });

    it('should cut the requested page from the sorted list', async () => {
      const response = await request(h.server)
        .get('/github/repos/octocat')
        .query({ page: 3, perPage: 7, sort: 'name' });

      const body = response.body as RepoListBody;
      expect(response.status).toBe(200);
      expect(body).toMatchObject({ username: 'octocat', total: 250, page: 3, perPage: 7 });
      expect(body.repos).toEqual(expectedListing(octocat, { sort: 'name' }).slice(14, 21));
    });

    it('should serve 30 repositories per page by default', async () => {
      const response = await request(h.server).get('/github/repos/octocat');

      const body = response.body as RepoListBody;
      expect(body.perPage).toBe(30);
      expect(body.page).toBe(1);
      expect(body.repos).toEqual(expectedListing(octocat).slice(0, 30));
    });

    it('should link first, prev, next and last pages, keeping the other parameters', async () => {
      const lastPage = Math.ceil(expectedListing(octocat, { language: 'TypeScript' }).length / 5);
      expect(lastPage).toBeGreaterThan(3);

      const response = await request(h.server)
        .get('/github/repos/octocat')
        .query({ sort: 'forks', language: 'TypeScript', page: 3, perPage: 5 });

      expect(response.status).toBe(200);
      const kept = { sort: 'forks', language: 'TypeScript', perPage: '5' };
      expect(parseOurLinks(response.headers.link)).toEqual({
        first: { path: '/github/repos/octocat', query: { ...kept, page: '1' } },
        prev: { path: '/github/repos/octocat', query: { ...kept, page: '2' } },
        next: { path: '/github/repos/octocat', query: { ...kept, page: '4' } },
        last: { path: '/github/repos/octocat', query: { ...kept, page: String(lastPage) } },
      });
    });

    it('should give the first page no prev link and the last page no next link', async () => {
      const first = await request(h.server).get('/github/repos/octocat').query({ perPage: 100 });
      const last = await request(h.server)
        .get('/github/repos/octocat')
        .query({ perPage: 100, page: 3 });

      expect(Object.keys(parseOurLinks(first.headers.link)).sort()).toEqual([
        'first',
        'last',
        'next',
      ]);
      expect(Object.keys(parseOurLinks(last.headers.link)).sort()).toEqual([
        'first',
        'last',
        'prev',
      ]);
      expect(parseOurLinks(last.headers.link).prev.query.page).toBe('2');
    });

    it('should answer a page beyond the last with 200 and no repositories', async () => {
      const response = await request(h.server)
        .get('/github/repos/octocat')
        .query({ page: 99, perPage: 100 });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 250, page: 99, perPage: 100, repos: [] });
      expect(parseOurLinks(response.headers.link).prev.query.page).toBe('3');
    });

    it('should answer an account without repositories with total 0', async () => {
      const response = await request(h.server).get('/github/repos/ghost');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ username: 'ghost', total: 0, page: 1, repos: [] });
    });

    it('should find an account whatever the case of the login', async () => {
      const response = await request(h.server).get('/github/repos/OctoCat').query({ perPage: 1 });

      expect(response.status).toBe(200);
      expect((response.body as RepoListBody).total).toBe(250);
    });

    it('should answer with exactly the documented fields, url being the GitHub page', async () => {
      const response = await request(h.server).get('/github/repos/octocat').query({ perPage: 100 });

      const body = response.body as RepoListBody;
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(body).sort()).toEqual([
        'complete',
        'coverage',
        'fetchedAt',
        'page',
        'perPage',
        'publicRepos',
        'repos',
        'total',
        'username',
      ]);
      expect(response.headers['x-repos-complete']).toBe('true');
      expect(new Date(body.fetchedAt).toISOString()).toBe(body.fetchedAt);
      for (const repo of body.repos) {
        expect(Object.keys(repo).sort()).toEqual(REPO_KEYS);
      }
      const byName = new Map(octocat.map((r) => [r.full_name, r]));
      expect(body.repos[0]).toEqual(toApiRepo(byName.get(body.repos[0].fullName)!));
      expect(body.repos[0].url).toBe(`https://github.com/${body.repos[0].fullName}`);
    });

    it('should send GitHub its required headers and no Authorization without a token', async () => {
      h.gh.addUser('header-check', 3);
      h.gh.reset();

      const response = await request(h.server).get('/github/repos/header-check');

      expect(response.status).toBe(200);
      expect(h.gh.requests).toHaveLength(1);
      const { headers } = h.gh.requests[0];
      expect(headers['user-agent']).toMatch(/^github-dashboard-backend\/\d+\.\d+\.\d+/);
      expect(headers.accept).toBe('application/vnd.github+json');
      expect(headers['x-github-api-version']).toBe('2026-03-10');
      expect(headers.authorization).toBeUndefined();
      // Served in 2026-03-10, GitHub's answers carry no Deprecation: nothing counted.
      const metrics = await request(h.server).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^# TYPE github_deprecated_answers_total counter$/m);
      expect(metrics.text).not.toMatch(/^github_deprecated_answers_total\{/m);
    });
  });
});
