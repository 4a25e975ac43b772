import request from 'supertest';
import { OrgsController } from '../../../src/github/repositories/orgs.controller';
import { GithubRepoJson } from '../../fake-github';
import { RepoListBody } from '../../support/collect-pages';
import { ExpectedListing, expectedListing } from '../../support/expected-repos';
import { Harness, startHarness } from '../../support/harness';
import { parseOurLinks } from '../../support/our-links';
import { expectProblem } from '../../support/problem';

/** 250 repositories: three GitHub pages of 100. */
const ORG_REPOS = 250;
const ORG = 'acme-dash';
/** A user holding exactly the organisation's repositories, to compare both list routes answer for answer. */
const TWIN = 'acme-twin';

const ORG_PATH = `/github/orgs/${ORG}/repos`;
const TWIN_PATH = `/github/repos/${TWIN}`;

type Query = Record<string, string>;

/** The listing options a query asks for, in the terms of the independent expectation. */
function listingOf(query: Query): ExpectedListing {
  return {
    sort: query.sort as ExpectedListing['sort'],
    direction: query.direction as ExpectedListing['direction'],
    language: query.language,
    includeForks: query.includeForks === undefined ? undefined : query.includeForks === 'true',
  };
}

/** Sorting, filtering and paging, alone and combined, including a page past the last one. */
const QUERIES = [
  '',
  'sort=name',
  'sort=name&direction=desc',
  'sort=forks&direction=asc',
  'sort=pushed',
  'sort=created&direction=asc',
  'sort=updated',
  'language=typescript',
  'language=none',
  'includeForks=false',
  'page=2&perPage=50',
  'page=3&perPage=100',
  'sort=stars&language=Go&includeForks=false&page=2&perPage=7',
  'page=99&perPage=100',
];

/** A list body without what names the account and when it was fetched. */
const listingPart = ({ total, page, perPage, repos }: RepoListBody) => ({
  total,
  page,
  perPage,
  repos,
});

const queryOf = (search: string): Query => Object.fromEntries(new URLSearchParams(search));

describe(OrgsController.name, () => {
  let h: Harness;
  let org: GithubRepoJson[];

  beforeAll(async () => {
    h = await startHarness();
    org = h.gh.addOrg(ORG, ORG_REPOS);
    h.gh.addUser(TWIN, org);
    h.gh.addUser('plain-user', 5);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/orgs/:org/repos', () => {
    it.each(QUERIES)(
      "should answer '?%s' exactly as the independent listing says",
      async (search) => {
        const query = queryOf(search);
        const perPage = Number(query.perPage ?? 30);
        const page = Number(query.page ?? 1);
        const all = expectedListing(org, listingOf(query));

        const response = await request(h.server).get(ORG_PATH).query(query);

        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          username: ORG,
          total: all.length,
          page,
          perPage,
          repos: all.slice((page - 1) * perPage, page * perPage),
          complete: true,
          publicRepos: h.gh.profileOf(ORG).public_repos,
          coverage: `all ${h.gh.profileOf(ORG).public_repos} repositories`,
          fetchedAt: expect.any(String),
        });
      },
    );

    it.each(QUERIES)(
      "should answer '?%s' with the same body and Link header as the user route",
      async (search) => {
        const query = queryOf(search);
        const fromOrg = await request(h.server).get(ORG_PATH).query(query);
        const fromUser = await request(h.server).get(TWIN_PATH).query(query);

        expect(fromOrg.status).toBe(200);
        expect(fromUser.status).toBe(200);
        const orgBody = fromOrg.body as RepoListBody;
        const userBody = fromUser.body as RepoListBody;
        expect(orgBody.username).toBe(ORG);
        expect(userBody.username).toBe(TWIN);
        expect(listingPart(orgBody)).toEqual(listingPart(userBody));
        expect(fromUser.headers.link).toEqual(expect.stringContaining(`<${TWIN_PATH}?`));
        expect(fromOrg.headers.link).toBe(
          String(fromUser.headers.link).split(TWIN_PATH).join(ORG_PATH),
        );
      },
    );

    it('should link first, prev, next and last pages that keep the other parameters', async () => {
      const query = { sort: 'name', includeForks: 'false', page: '2', perPage: '40' };
      const lastPage = Math.ceil(org.filter((r) => !r.fork).length / 40);

      const response = await request(h.server).get(ORG_PATH).query(query);

      expect(response.status).toBe(200);
      const keep = { sort: 'name', includeForks: 'false', perPage: '40' };
      expect(parseOurLinks(response.headers.link as string | undefined)).toEqual({
        first: { path: ORG_PATH, query: { ...keep, page: '1' } },
        prev: { path: ORG_PATH, query: { ...keep, page: '1' } },
        next: { path: ORG_PATH, query: { ...keep, page: '3' } },
        last: { path: ORG_PATH, query: { ...keep, page: String(lastPage) } },
      });
    });

    it('should fetch the three GitHub pages once, then serve every query from the cache', async () => {
      h.gh.addOrg('cost-org', ORG_REPOS);
      const id = h.gh.profileOf('cost-org').id;

      for (const search of QUERIES) {
        const response = await request(h.server).get(`/github/orgs/cost-org/repos?${search}`);
        expect(response.status).toBe(200);
      }

      const paths = h.gh.requests.map((r) => r.path);
      expect(paths).toHaveLength(3);
      expect(paths[0]).toMatch(/^\/orgs\/cost-org\/repos\?/);
      expect(paths.slice(1).every((path) => path.startsWith(`/organizations/${id}/repos?`))).toBe(
        true,
      );
    });

    it('should map a user that is not an organisation to a 404 problem', async () => {
      const response = await request(h.server).get('/github/orgs/plain-user/repos');

      const problem = expectProblem(response, 404);
      expect(problem.instance).toBe('/github/orgs/plain-user/repos');
    });

    it('should map an unknown organisation to a 404 problem', async () => {
      const response = await request(h.server).get('/github/orgs/no-such-org/repos');

      expectProblem(response, 404);
    });
  });
});
