import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Harness, startHarness } from '../support/harness';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface OperationResponse {
  content?: Record<string, { schema: Schema }>;
  headers?: Record<string, unknown>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; required?: boolean }[];
        responses: Record<string, OperationResponse>;
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

const PROBLEM_REF = '#/components/schemas/Problem';

describe('OpenAPI document (SwaggerModule)', () => {
  let h: Harness;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    h = await startHarness();
    const response = await request(h.server).get('/docs-json');
    expect(response.status).toBe(200);
    doc = response.body as OpenApiDocument;
  });

  afterAll(async () => {
    await h.close();
  });

  /** Follows a `$ref` inside this document. */
  function resolve(schema: Schema): Schema {
    return schema.$ref
      ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]
      : schema;
  }

  describe('GET /docs-json', () => {
    it('should be an OpenAPI 3 document stamped with the package version', () => {
      expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(doc.info.version).toBe(PACKAGE_VERSION);
    });

    it('should document every route', () => {
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/github/repos/{username}',
          '/github/repos/{owner}/{repo}',
          '/github/users/{username}',
          '/github/users/{username}/summary',
          '/github/orgs/{org}/repos',
          '/github/rate-limit',
          '/health',
          '/health/ready',
        ]),
      );
    });

    it('should document the parameters of GET /github/repos/{username}', () => {
      const parameters = doc.paths['/github/repos/{username}'].get.parameters ?? [];

      expect(parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'username', in: 'path', required: true }),
        ]),
      );
      const query = parameters.filter((p) => p.in === 'query').map((p) => p.name);
      expect(query.sort()).toEqual([
        'direction',
        'includeForks',
        'language',
        'page',
        'perPage',
        'sort',
      ]);
    });

    it('should document the 200 body of GET /github/repos/{username}', () => {
      const ok = doc.paths['/github/repos/{username}'].get.responses['200'];

      const list = resolve(ok.content!['application/json'].schema);
      expect(Object.keys(list.properties!).sort()).toEqual([
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
      expect(list.properties!.publicRepos).toMatchObject({ type: 'number', nullable: true });
      expect(ok.headers).toHaveProperty('X-Repos-Complete');
      const repo = resolve(list.properties!.repos.items!);
      expect(Object.keys(repo.properties!).sort()).toEqual([
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
      ]);
    });

    it.each(['400', '404', '502', '503', '504'])(
      'should document the %s problem+json answer of GET /github/repos/{username}',
      (status) => {
        const response = doc.paths['/github/repos/{username}'].get.responses[status];

        expect(response.content?.['application/problem+json']?.schema).toEqual({
          $ref: PROBLEM_REF,
        });
      },
    );

    it("should document the star history's sources, its interval and each point's gains and losses", () => {
      const operation = doc.paths['/github/repos/{owner}/{repo}/star-history'].get;
      const history = resolve(operation.responses['200'].content!['application/json'].schema);
      const point = resolve(history.properties!.points.items!);
      const interval = (operation.parameters ?? []).find((p) => p.name === 'interval') as
        { in: string; required?: boolean; schema: { enum: string[]; default: string } } | undefined;

      expect(history.properties!.source).toMatchObject({
        enum: ['history', 'stargazers', 'snapshots'],
      });
      expect(history.properties!.interval).toMatchObject({ enum: ['day', 'week', 'month'] });
      expect(interval).toMatchObject({
        in: 'query',
        required: false,
        schema: { enum: ['day', 'week', 'month'], default: 'day' },
      });
      expect(Object.keys(point.properties!).sort()).toEqual([
        'date',
        'gained',
        'lost',
        'lostKind',
        'stars',
      ]);
      expect(point.properties!.lostKind).toMatchObject({ enum: ['exact', 'lower-bound'] });
      expect(point.required!.sort()).toEqual(['date', 'stars']);
    });

    it('should document Retry-After on the 503', () => {
      const response = doc.paths['/github/repos/{username}'].get.responses['503'];

      expect(Object.keys(response.headers ?? {})).toContain('Retry-After');
    });

    it('should document the problem shape', () => {
      const problem = resolve({ $ref: PROBLEM_REF });

      expect(problem.required).toEqual(
        expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance']),
      );
    });

    it('should document the parameter errors of a 400 as the objects a real 400 carries', async () => {
      const problem = resolve({ $ref: PROBLEM_REF });
      const item = resolve(problem.properties!.errors.items!);
      const answer = await request(h.server).get('/github/repos/octocat?sort=bogus');

      expect(answer.status).toBe(400);
      const sent = (answer.body as { errors: Record<string, unknown>[] }).errors;
      expect(sent.length).toBeGreaterThan(0);
      expect(Object.keys(item.properties ?? {}).sort()).toEqual(Object.keys(sent[0]).sort());
      expect(item.required?.sort()).toEqual(['message', 'parameter']);
    });
  });

  describe('GET /docs', () => {
    it('should serve the Swagger UI page', async () => {
      const response = await request(h.server).get('/docs');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toMatch(/swagger-ui/i);
    });
  });
});
