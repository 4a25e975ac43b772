import request from 'supertest';
import { Harness, startHarness } from '../support/harness';
import { OpenApiDocument, Operation, schemaMismatches } from './openapi-schema';

const PROBLEM_REF = '#/components/schemas/Problem';
const PROBLEM_STATUSES = ['400', '404', '502', '503', '504'];

/** Each documented route, with a request that answers 200 against the fake. */
const ROUTES: [documentedPath: string, example: string][] = [
  ['/github/users/{username}', '/github/users/docs-user'],
  ['/github/users/{username}/summary', '/github/users/docs-user/summary'],
  ['/github/orgs/{org}/repos', '/github/orgs/docs-org/repos?perPage=5'],
  ['/github/repos/{owner}/{repo}', '/github/repos/docs-user/{repo}'],
  ['/github/repos/{username}', '/github/repos/docs-user?perPage=5'],
  ['/github/rate-limit', '/github/rate-limit'],
];

/** Routes that read GitHub data, and so can fail in every way GitHub can. */
const GITHUB_ROUTES = ROUTES.map(([path]) => path).filter((path) => path !== '/github/rate-limit');

describe('OpenAPI document of the dashboard routes (GET /docs-json)', () => {
  let h: Harness;
  let doc: OpenApiDocument;
  let repoName: string;

  const get = (path: string): Operation => {
    const operation = doc.paths[path]?.get;
    if (!operation) {
      throw new Error(`${path} is not documented`);
    }
    return operation;
  };

  beforeAll(async () => {
    h = await startHarness();
    repoName = h.gh.addUser('docs-user', 12)[0].name;
    h.gh.addOrg('docs-org', 12);
    const response = await request(h.server).get('/docs-json');
    expect(response.status).toBe(200);
    doc = response.body as OpenApiDocument;
  });

  afterAll(async () => {
    await h.close();
  });

  it('should document every dashboard route', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(ROUTES.map(([path]) => path)));
  });

  it.each(ROUTES)(
    'should describe the 200 body of %s exactly as the route answers it',
    async (path, example) => {
      const ok = get(path).responses['200'];
      const schema = ok.content?.['application/json']?.schema;

      const response = await request(h.server).get(example.replace('{repo}', repoName));

      expect(response.status).toBe(200);
      expect(schema?.$ref).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(schemaMismatches(doc, schema ?? {}, response.body)).toEqual([]);
    },
  );

  it.each(GITHUB_ROUTES.flatMap((path) => PROBLEM_STATUSES.map((status) => [path, status])))(
    'should document the %s answer %s as application/problem+json',
    (path, status) => {
      const response = get(path).responses[status];

      expect(response?.content?.['application/problem+json']?.schema).toEqual({
        $ref: PROBLEM_REF,
      });
      expect(response?.description).toMatch(/\S/);
    },
  );

  it.each(GITHUB_ROUTES)('should document Retry-After on the 503 of %s', (path) => {
    expect(Object.keys(get(path).responses['503'].headers ?? {})).toContain('Retry-After');
  });

  it.each(GITHUB_ROUTES)('should document ETag and X-Cache on the 200 of %s', (path) => {
    expect(Object.keys(get(path).responses['200'].headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'X-Cache', 'Cache-Control']),
    );
  });

  it('should document the Link header on both list routes', () => {
    expect(Object.keys(get('/github/orgs/{org}/repos').responses['200'].headers ?? {})).toContain(
      'Link',
    );
    expect(Object.keys(get('/github/repos/{username}').responses['200'].headers ?? {})).toContain(
      'Link',
    );
  });

  it('should document the same query parameters for the organisation and the user list', () => {
    const queryOf = (path: string) =>
      (get(path).parameters ?? [])
        .filter((p) => p.in === 'query')
        .map(({ name, required, schema }) => ({ name, required, schema }))
        .sort((a, b) => a.name.localeCompare(b.name));

    expect(queryOf('/github/orgs/{org}/repos')).toEqual(queryOf('/github/repos/{username}'));
    expect(queryOf('/github/orgs/{org}/repos').map((p) => p.name)).toEqual([
      'direction',
      'includeForks',
      'language',
      'page',
      'perPage',
      'sort',
    ]);
  });

  it.each<[string, string, string[], string[]]>([
    [
      '/github/users/{username}',
      'username',
      ['octocat', 'a', 'octo-cat-9'],
      ['-octocat', 'octo--cat', 'octo.cat', 'a'.repeat(40)],
    ],
    ['/github/users/{username}/summary', 'username', ['octocat'], ['octocat-', 'é']],
    ['/github/orgs/{org}/repos', 'org', ['github'], ['git_hub', '..']],
    ['/github/repos/{owner}/{repo}', 'owner', ['octocat'], ['octo cat']],
    [
      '/github/repos/{owner}/{repo}',
      'repo',
      ['Hello-World', '.github', 'a..b', 'r'.repeat(100)],
      ['.', '..', 'r'.repeat(101), 'a b', 'a/b', 'café'],
    ],
    ['/github/repos/{username}', 'username', ['octocat'], ['octo/cat']],
  ])(
    'should document the rule of %s {%s} as a pattern that matches the validation',
    (path, name, accepted, refused) => {
      const parameter = (get(path).parameters ?? []).find(
        (p) => p.in === 'path' && p.name === name,
      );

      expect(parameter?.required).toBe(true);
      const pattern = new RegExp(parameter?.schema?.pattern ?? '(?!)');
      expect(accepted.filter((value) => !pattern.test(value))).toEqual([]);
      expect(refused.filter((value) => pattern.test(value))).toEqual([]);
    },
  );
});
