import { FailureMode } from '../fake-github';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';
import { rawGet, RawResponse } from '../support/raw-get';
import {
  DASHBOARD_ROUTES,
  loginFor,
  ORG_REPOS_ROUTE,
  PROFILE_ROUTE,
  REPO_ROUTE,
  SUMMARY_ROUTE,
  USER_REPOS_ROUTE,
} from '../support/dashboard-routes';

const TOKEN = 'ghp_dashboardErrorsSecret0123456789';
/** Small, so each hanging case costs half a second. */
const TIMEOUT_MS = 500;

/** Logins GitHub refuses: hyphen rules, length, characters outside [A-Za-z0-9-], encoded tricks. */
const BAD_LOGINS = [
  '-octocat',
  'octocat-',
  'octo--cat',
  'a'.repeat(40),
  'octo.cat',
  'octo_cat',
  '.',
  '..',
  '%2E%2E',
  'octo%20cat',
  '%2F',
  'octo%2Fcat',
  '%C3%A9t%C3%A9',
  'octo%E2%80%AEcat',
];

/** Repository names GitHub refuses: `.` and `..`, over 100 characters, characters outside [A-Za-z0-9._-]. */
const BAD_REPO_NAMES = [
  '.',
  '..',
  '%2E',
  '%2E%2E',
  'r'.repeat(101),
  'a%20b',
  '%2F',
  'a%2Fb',
  'caf%C3%A9',
  'a%24b',
  'a%00b',
  '%F0%9F%90%99',
];

/** Every route's path with `login` in the place the given bad value goes, and the parameter the 400 must name. */
const LOGIN_PLACES: [string, (login: string) => string, string][] = [
  [PROFILE_ROUTE.name, (v) => `/github/users/${v}`, 'username'],
  [SUMMARY_ROUTE.name, (v) => `/github/users/${v}/summary`, 'username'],
  [ORG_REPOS_ROUTE.name, (v) => `/github/orgs/${v}/repos`, 'org'],
  [REPO_ROUTE.name, (v) => `/github/repos/${v}/hello-world`, 'owner'],
  [USER_REPOS_ROUTE.name, (v) => `/github/repos/${v}`, 'username'],
];

interface Outcome {
  path: string;
  response: RawResponse;
  elapsedMs: number;
}

function outcomeOf(outcomes: Map<string, Outcome>, key: string): Outcome {
  const outcome = outcomes.get(key);
  if (!outcome) {
    throw new Error(`No outcome recorded for ${key}`);
  }
  return outcome;
}

/** A test-title form of a value: long ones by their length. */
const shown = (value: string): string =>
  value.length > 24 ? `${value.slice(0, 3)}... (${value.length} characters)` : value;

const cross = <A, B>(as: A[], bs: B[]): [A, B][] =>
  as.flatMap((a) => bs.map((b): [A, B] => [a, b]));

describe('Dashboard routes when input is invalid or GitHub fails', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ token: TOKEN, timeoutMs: TIMEOUT_MS });
    h.gh.addUser('octocat', 3);
    h.gh.addOrg('acme', 3);
  });

  afterAll(async () => {
    await h.close();
  });

  async function timedGet(path: string): Promise<{ response: RawResponse; elapsedMs: number }> {
    const startedAt = performance.now();
    const response = await rawGet(h.server, path);
    return { response, elapsedMs: performance.now() - startedAt };
  }

  beforeEach(() => {
    h.gh.reset();
  });

  describe('400: invalid input, never sent to GitHub', () => {
    it.each(
      cross(LOGIN_PLACES, BAD_LOGINS).map(([[route, path, parameter], login]) => [
        route,
        shown(login),
        path(login),
        parameter,
      ]),
    )(
      '%s should refuse the login %s with a 400 naming it',
      async (_route, _login, path, parameter) => {
        const response = await rawGet(h.server, path);

        const problem = expectProblem(response, 400, [TOKEN]);
        expect(problem.type).toBe('urn:github-dashboard:problem:invalid-request');
        expect(problem.errors).toEqual([expect.objectContaining({ parameter })]);
        expect(problem.instance).toBe(path);
        expect(h.gh.requests).toEqual([]);
      },
    );

    it.each(BAD_REPO_NAMES.map((name) => [shown(name), name]))(
      'GET /github/repos/:owner/:repo should refuse the repository name %s with a 400 naming repo',
      async (_shown, name) => {
        const path = `/github/repos/octocat/${name}`;

        const response = await rawGet(h.server, path);

        const problem = expectProblem(response, 400, [TOKEN]);
        expect(problem.errors).toEqual([expect.objectContaining({ parameter: 'repo' })]);
        expect(problem.detail).toMatch(/^repo must be/);
        expect(h.gh.requests).toEqual([]);
      },
    );

    it.each(DASHBOARD_ROUTES)(
      '$name should refuse an unknown query parameter with a 400 naming it',
      async (route) => {
        const path = `${route.arrange(h.gh, loginFor(route, 'unknown-query'))}?foo=bar`;

        const response = await rawGet(h.server, path);

        const problem = expectProblem(response, 400, [TOKEN]);
        expect(problem.errors).toEqual([expect.objectContaining({ parameter: 'foo' })]);
        expect(problem.instance).toBe(path.split('?')[0]);
        expect(h.gh.requests).toEqual([]);
      },
    );

    it.each([
      ['sort=bogus', 'sort'],
      ['direction=up', 'direction'],
      ['perPage=0', 'perPage'],
      ['perPage=101', 'perPage'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['includeForks=yes', 'includeForks'],
      ['sort=stars&sort=name', 'sort'],
      [`language=${'x'.repeat(65)}`, 'language'],
    ])(
      'GET /github/orgs/:org/repos should refuse ?%s with a 400 naming %s',
      async (query, parameter) => {
        const response = await rawGet(h.server, `/github/orgs/acme/repos?${query}`);

        const problem = expectProblem(response, 400, [TOKEN]);
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ parameter })]),
        );
        expect(h.gh.requests).toEqual([]);
      },
    );
  });

  describe('404: GitHub has no such account or repository', () => {
    it.each(DASHBOARD_ROUTES)(
      '$name should answer a 404 problem, asking GitHub at most once per resource',
      async (route) => {
        const login = loginFor(route, 'missing');
        const path = route.pathFor(login);

        const response = await rawGet(h.server, path);

        const problem = expectProblem(response, 404, [TOKEN]);
        expect(problem).toMatchObject({
          type: 'urn:github-dashboard:problem:not-found',
          title: 'Not Found',
          instance: path,
        });
        expect(h.gh.requests.length).toBeGreaterThanOrEqual(1);
        expect(h.gh.requests.length).toBeLessThanOrEqual(2);
        expect(h.gh.requests.every((r) => r.path.startsWith(route.upstreamPrefix(login)))).toBe(
          true,
        );
      },
    );

    it.each(DASHBOARD_ROUTES)(
      '$name should remember the 404 briefly and not ask GitHub again',
      async (route) => {
        const path = route.pathFor(loginFor(route, 'missing-twice'));
        await rawGet(h.server, path);
        h.gh.reset();

        const response = await rawGet(h.server, path);

        expectProblem(response, 404, [TOKEN]);
        expect(h.gh.requests).toEqual([]);
      },
    );
  });

  describe('502: GitHub fails or answers garbage', () => {
    const cases = cross(DASHBOARD_ROUTES, ['server-error', 'invalid-json'] as FailureMode[]).map(
      ([route, mode]) => [route.name, mode, route] as const,
    );
    const outcomes = new Map<string, Outcome>();

    // The cases use disjoint accounts, so they run at once: the retries of a 500 cost their back-off only once.
    beforeAll(async () => {
      await Promise.all(
        cases.map(async ([name, mode, route]) => {
          const login = loginFor(route, mode);
          const path = route.arrange(h.gh, login);
          h.gh.failNext({ pathPrefix: route.upstreamPrefix(login), mode, times: Infinity });
          outcomes.set(`${name} ${mode}`, { path, ...(await timedGet(path)) });
        }),
      );
    });

    it.each(cases)('%s should map %s to a 502 problem', (name, mode) => {
      const { path, response } = outcomeOf(outcomes, `${name} ${mode}`);

      const problem = expectProblem(response, 502, [TOKEN]);
      expect(problem).toMatchObject({
        type: 'urn:github-dashboard:problem:upstream-failure',
        title: 'Bad Gateway',
        instance: path,
      });
      expect(response.text).not.toMatch(/trunc|Server Error/);
    });

    it('GET /github/users/:username/summary should answer 502 rather than a partial summary when a later page fails', async () => {
      const [repo] = h.gh.addUser('summ-later-page-case', 250);
      h.gh.failNext({
        pathPrefix: `/user/${repo.owner.id}/repos`,
        mode: 'server-error',
        times: Infinity,
      });

      const response = await rawGet(h.server, '/github/users/summ-later-page-case/summary');

      expectProblem(response, 502, [TOKEN]);
    });

    it('GET /github/repos/:owner/:repo should answer 502 when only the languages fail', async () => {
      const [repo] = h.gh.addUser('repo-languages-fail-case', 3);
      const languages = `/repos/repo-languages-fail-case/${repo.name.toLowerCase()}/languages`;
      h.gh.failNext({ pathPrefix: languages, mode: 'invalid-json', times: Infinity });

      const response = await rawGet(
        h.server,
        `/github/repos/repo-languages-fail-case/${repo.name}`,
      );

      expectProblem(response, 502, [TOKEN]);
      expect(h.gh.requests.map((r) => r.path)).toContain(languages);
    });
  });

  describe('504: GitHub does not answer in time', () => {
    const outcomes = new Map<string, Outcome>();

    // Disjoint accounts again: all routes wait out the same deadline together.
    beforeAll(async () => {
      await Promise.all(
        DASHBOARD_ROUTES.map(async (route) => {
          const login = loginFor(route, 'hang');
          const path = route.arrange(h.gh, login);
          h.gh.failNext({ pathPrefix: route.upstreamPrefix(login), mode: 'hang', times: Infinity });
          outcomes.set(route.name, { path, ...(await timedGet(path)) });
        }),
      );
    });

    it.each(DASHBOARD_ROUTES.map((route) => route.name))(
      `%s should answer a 504 problem within GITHUB_TIMEOUT_MS (${TIMEOUT_MS} ms)`,
      (name) => {
        const { path, response, elapsedMs } = outcomeOf(outcomes, name);

        const problem = expectProblem(response, 504, [TOKEN]);
        expect(problem).toMatchObject({
          type: 'urn:github-dashboard:problem:upstream-timeout',
          title: 'Gateway Timeout',
          instance: path,
        });
        expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
        expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 1500);
      },
    );
  });
});
