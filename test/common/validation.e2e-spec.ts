import { ReposController } from '../../src/github/repositories/repos.controller';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';
import { rawGet } from '../support/raw-get';

/** [path as sent on the wire, the parameter the 400 must name] */
type Case = [string, string];

const BAD_USERNAMES: Case[] = [
  ['/github/repos/-octocat', 'username'],
  ['/github/repos/octocat-', 'username'],
  ['/github/repos/octo--cat', 'username'],
  [`/github/repos/${'a'.repeat(40)}`, 'username'],
  ['/github/repos/%C3%A9t%C3%A9', 'username'],
  ['/github/repos/octo%E2%80%AEcat', 'username'],
  ['/github/repos/..', 'username'],
  ['/github/repos/%2E%2E', 'username'],
  ['/github/repos/.', 'username'],
  ['/github/repos/octo.cat', 'username'],
  ['/github/repos/octo_cat', 'username'],
  ['/github/repos/%2F', 'username'],
  ['/github/repos/octo%2Fcat', 'username'],
  ['/github/repos/octo%20cat', 'username'],
];

const BAD_QUERIES: Case[] = [
  ['/github/repos/octocat?foo=bar', 'foo'],
  ['/github/repos/octocat?sort=bogus', 'sort'],
  ['/github/repos/octocat?sort=STARS', 'sort'],
  ['/github/repos/octocat?direction=up', 'direction'],
  ['/github/repos/octocat?perPage=0', 'perPage'],
  ['/github/repos/octocat?perPage=101', 'perPage'],
  ['/github/repos/octocat?perPage=abc', 'perPage'],
  ['/github/repos/octocat?page=0', 'page'],
  ['/github/repos/octocat?page=-1', 'page'],
  ['/github/repos/octocat?page=1.5', 'page'],
  ['/github/repos/octocat?page=1e3', 'page'],
  ['/github/repos/octocat?includeForks=yes', 'includeForks'],
  ['/github/repos/octocat?includeForks=1', 'includeForks'],
  ['/github/repos/octocat?sort=stars&sort=name', 'sort'],
  ['/github/repos/octocat?page=1&page=2', 'page'],
  [`/github/repos/octocat?language=${'x'.repeat(65)}`, 'language'],
  ['/github/repos/octocat?language=Type%00Script', 'language'],
  // Names that exist on every object's prototype: class-transformer skips them, so they bypass
  // the whitelist and are silently ignored (see the report; these two fail until src is fixed).
  ['/github/repos/octocat?constructor=x', 'constructor'],
  ['/github/repos/octocat?toString=1', 'toString'],
];

describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    h.gh.addUser('octocat', 5);
    h.gh.addUser('a', 1);
    h.gh.addUser('a'.repeat(39), 1);
    h.gh.addUser('octo-cat-9', 1);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  describe('GET /github/repos/:username with invalid input', () => {
    it.each([...BAD_USERNAMES, ...BAD_QUERIES])(
      'should answer %s with a 400 naming %s, without asking GitHub',
      async (path, parameter) => {
        const response = await rawGet(h.server, path);

        const problem = expectProblem(response, 400);
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ parameter })]),
        );
        expect(problem.detail).toContain(parameter);
        expect(problem.instance).toBe(path.split('?')[0]);
        expect(h.gh.countRequests()).toBe(0);
      },
    );
  });

  describe('GET /github/repos/:username with a URL the router refuses', () => {
    // Fastify answers these before Nest's filter runs; they must still be problem documents
    // (these fail until src/app.setup.ts handles Fastify's framework errors).
    it.each([
      ['/github/repos/%', 400],
      ['/github/repos/octo%E0%A4-cat', 400],
      [`/github/repos/${'a'.repeat(201)}`, 414],
    ])('should answer %s with a %d problem, without asking GitHub', async (path, status) => {
      const response = await rawGet(h.server, path);

      expectProblem(response, status);
      expect(h.gh.countRequests()).toBe(0);
    });
  });

  describe('GET /github/repos/:username at the edges of the rules', () => {
    it.each(['a', 'a'.repeat(39), 'octo-cat-9'])('should accept the login %s', async (login) => {
      const response = await rawGet(h.server, `/github/repos/${login}`);

      expect(response.status).toBe(200);
    });

    it.each([
      '?perPage=1&page=1',
      '?perPage=100&page=100000',
      '?includeForks=true&direction=asc&sort=created',
    ])('should accept the query %s', async (query) => {
      const response = await rawGet(h.server, `/github/repos/octocat${query}`);

      expect(response.status).toBe(200);
    });
  });
});
