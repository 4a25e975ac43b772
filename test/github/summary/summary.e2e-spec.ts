import request from 'supertest';
import { SummaryController } from '../../../src/github/summary/summary.controller';
import { GithubRepoJson } from '../../fake-github';
import { toApiRepo } from '../../support/expected-repos';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import {
  ApiSummary,
  expectedProfile,
  expectedSummary,
  expectSummaryToMatch,
} from '../../support/expected-dashboard';
import { pagesAsked, renamedRepo, upstreamCallsFor } from '../../support/fake-accounts';

/** Over a thousand repositories: 13 GitHub pages of 100, the last one partly filled. */
const BIG = 1234;
const GITHUB_PAGES = 13;

type SummaryBody = ApiSummary & { fetchedAt: string };

describe(SummaryController.name, () => {
  let h: Harness;
  let big: GithubRepoJson[];

  beforeAll(async () => {
    // A generous timeout: 13 pages under a loaded CI machine must not turn into a 504.
    h = await startHarness({ timeoutMs: 10_000 });
    big = h.gh.addUser('big-dashboard', BIG);
    h.gh.addUser('cold-cost', BIG);
    h.gh.addUser('warm-list', BIG);
    h.gh.addUser('warm-profile', BIG);
    h.gh.addUser('revalidated', BIG);
    h.gh.addUser('no-repos', 0);
    h.gh.addOrg('summary-org', 30);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/users/:username/summary for an account with 1,234 repositories', () => {
    let response: request.Response;
    let body: SummaryBody;
    let expected: ApiSummary;

    beforeAll(async () => {
      response = await request(h.server).get('/github/users/big-dashboard/summary');
      body = response.body as SummaryBody;
      expected = expectedSummary(h.gh.profileOf('big-dashboard'), big);
    });

    it('should answer 200 with the profile and fetchedAt', () => {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(body).sort()).toEqual([
        'complete',
        'coverage',
        'fetchedAt',
        'languages',
        'profile',
        'publicRepos',
        'recentlyPushed',
        'topRepos',
        'totals',
      ]);
      expect(body.profile).toEqual(expected.profile);
      expect(body.profile.publicRepos).toBe(BIG);
      expect(Number.isNaN(Date.parse(body.fetchedAt))).toBe(false);
    });

    it('should total every repository exactly', () => {
      expect(body.totals).toEqual(expected.totals);
      // The generated data must exercise every counter, or the comparison proves little.
      expect(expected.totals.repos).toBe(BIG);
      expect(expected.totals.forked).toBeGreaterThan(0);
      expect(expected.totals.archived).toBeGreaterThan(0);
      expect(body.totals.sources + body.totals.forked).toBe(BIG);
    });

    it('should break languages down over the non-fork repositories, null for no language', () => {
      expect(body.languages).toHaveLength(expected.languages.length);
      expect(body.languages).toEqual(expect.arrayContaining(expected.languages));
      expect(body.languages).toContainEqual(expect.objectContaining({ language: null }));
      expect(body.languages.reduce((sum, l) => sum + l.repos, 0)).toBe(expected.totals.sources);
      expect(body.languages.reduce((sum, l) => sum + l.share, 0)).toBeCloseTo(1, 10);
    });

    it('should sort the languages by repositories, most first', () => {
      expect(body.languages.map((l) => l.repos)).toEqual(expected.languages.map((l) => l.repos));
    });

    it('should list the five most starred repositories', () => {
      expect(body.topRepos).toEqual(expected.topRepos);
    });

    it('should list the five most recently pushed repositories', () => {
      expect(body.recentlyPushed).toEqual(expected.recentlyPushed);
    });
  });

  describe('GET /github/users/:username/summary for small accounts', () => {
    it('should rank repositories never pushed to last in recentlyPushed', async () => {
      const [template] = h.gh.addUser('few-pushes', 1);
      const repos = [
        renamedRepo(template, 'never-a', { pushed_at: null }),
        renamedRepo(template, 'pushed-2019', { pushed_at: '2019-05-01T10:00:00Z' }),
        renamedRepo(template, 'never-b', { pushed_at: null }),
        renamedRepo(template, 'pushed-2024', { pushed_at: '2024-02-01T10:00:00Z' }),
      ];
      h.gh.addUser('few-pushes', repos);

      const response = await request(h.server).get('/github/users/few-pushes/summary');

      expect(response.status).toBe(200);
      const body = response.body as SummaryBody;
      expect(body.recentlyPushed.map((r) => r.name)).toEqual([
        'pushed-2024',
        'pushed-2019',
        'never-a',
        'never-b',
      ]);
      expect(body.recentlyPushed[2]).toEqual(toApiRepo(repos[0]));
    });

    it('should answer zeros and empty lists for an account without repositories', async () => {
      const response = await request(h.server).get('/github/users/no-repos/summary');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        profile: expectedProfile(h.gh.profileOf('no-repos')),
        totals: { repos: 0, stars: 0, forks: 0, openIssues: 0, sources: 0, forked: 0, archived: 0 },
        languages: [],
        topRepos: [],
        recentlyPushed: [],
        complete: true,
        publicRepos: 0,
        coverage: 'all 0 repositories',
        fetchedAt: expect.any(String),
      });
    });

    it('should summarise an organisation too', async () => {
      const response = await request(h.server).get('/github/users/summary-org/summary');

      expect(response.status).toBe(200);
      const { fetchedAt, ...summary } = response.body as SummaryBody;
      expectSummaryToMatch(
        summary,
        expectedSummary(h.gh.profileOf('summary-org'), h.gh.reposOf('summary-org')),
      );
      expect(summary.profile.type).toBe('Organization');
      expect(fetchedAt).toEqual(expect.any(String));
    });

    it('should map an unknown account to a 404 problem', async () => {
      const response = await request(h.server).get('/github/users/nobody-summarised/summary');

      expectProblem(response, 404);
    });
  });

  describe('GET /github/users/:username/summary upstream cost', () => {
    it('should cost exactly one profile request and the 13 repository pages when cold', async () => {
      const response = await request(h.server).get('/github/users/cold-cost/summary');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('MISS');
      const calls = upstreamCallsFor(h.gh, 'cold-cost');
      expect(calls.profile).toHaveLength(1);
      expect(calls.repoPages).toHaveLength(GITHUB_PAGES);
      expect(pagesAsked(calls.repoPages)).toEqual(
        Array.from({ length: GITHUB_PAGES }, (_, i) => i + 1),
      );
      expect(calls.other).toEqual([]);
      expect(h.gh.requests).toHaveLength(1 + GITHUB_PAGES);
      expect((response.body as SummaryBody).totals.repos).toBe(BIG);
    });

    it('should cost no upstream request when asked again', async () => {
      const first = await request(h.server).get('/github/users/cold-cost/summary');

      const second = await request(h.server).get('/github/users/cold-cost/summary');

      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
      expect(h.gh.requests).toEqual([]);
    });

    it('should revalidate the profile and every page with conditional requests on Cache-Control: no-cache', async () => {
      const first = await request(h.server).get('/github/users/revalidated/summary');
      await new Promise((resolve) => setTimeout(resolve, 5));
      h.gh.reset();

      const second = await request(h.server)
        .get('/github/users/revalidated/summary')
        .set('Cache-Control', 'no-cache');

      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('REVALIDATED');
      const { fetchedAt: before, ...firstSummary } = first.body as SummaryBody;
      const { fetchedAt: after, ...secondSummary } = second.body as SummaryBody;
      expect(secondSummary).toEqual(firstSummary);
      expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
      const calls = upstreamCallsFor(h.gh, 'revalidated');
      expect(calls.profile).toHaveLength(1);
      expect(calls.repoPages).toHaveLength(GITHUB_PAGES);
      expect(calls.other).toEqual([]);
      expect(
        h.gh.requests.every((r) => r.status === 304 && r.headers['if-none-match'] !== undefined),
      ).toBe(true);
    });

    it('should cost only the profile request once GET /github/repos/:username cached the list', async () => {
      const list = await request(h.server).get('/github/repos/warm-list');
      expect(list.status).toBe(200);
      expect(upstreamCallsFor(h.gh, 'warm-list').repoPages).toHaveLength(GITHUB_PAGES);
      h.gh.reset();

      const response = await request(h.server).get('/github/users/warm-list/summary');

      expect(response.status).toBe(200);
      expect(h.gh.requests.map((r) => r.path)).toEqual(['/users/warm-list']);
      expect((response.body as SummaryBody).totals).toEqual(
        expectedSummary(h.gh.profileOf('warm-list'), h.gh.reposOf('warm-list')).totals,
      );
    });

    it('should cost only the repository pages once GET /github/users/:username cached the profile', async () => {
      const profile = await request(h.server).get('/github/users/warm-profile');
      expect(profile.status).toBe(200);
      h.gh.reset();

      const response = await request(h.server).get('/github/users/warm-profile/summary');

      expect(response.status).toBe(200);
      const calls = upstreamCallsFor(h.gh, 'warm-profile');
      expect(calls.profile).toEqual([]);
      expect(calls.repoPages).toHaveLength(GITHUB_PAGES);
      expect(calls.other).toEqual([]);
    });
  });
});
